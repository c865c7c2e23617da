/**
 * The Pareto chart of a sweep: every point as a dot on its first two objectives, the frontier joined and
 * highlighted; a self-contained HTML page (inline SVG, no scripts or external files: it opens anywhere,
 * offline) and a character scatter for the terminal.
 */
import { formatMetric } from "./format.js";

export interface ChartPoint {
  x: number;
  y: number;
  label: string;
  frontier: boolean;
}

export interface ChartSpec {
  title: string;
  xMetric: string;
  yMetric: string;
  points: ChartPoint[];
}

function escapeXml(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}

function extent(values: number[]): [number, number] {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (!Number.isFinite(lo)) return [0, 1];
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.05 || 1;
    lo -= pad;
    hi += pad;
  }
  return [lo, hi];
}

/** Five evenly spaced tick values across [lo, hi]. */
function ticks(lo: number, hi: number): number[] {
  return [0, 0.25, 0.5, 0.75, 1].map((t) => lo + t * (hi - lo));
}

export function paretoSvg(c: ChartSpec, width = 720, height = 440): string {
  const m = { left: 90, right: 20, top: 40, bottom: 60 };
  const [x0, x1] = extent(c.points.map((p) => p.x));
  const [y0, y1] = extent(c.points.map((p) => p.y));
  const sx = (x: number) => m.left + ((x - x0) / (x1 - x0)) * (width - m.left - m.right);
  const sy = (y: number) => height - m.bottom - ((y - y0) / (y1 - y0)) * (height - m.top - m.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(c.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(c.title)}</text>`,
  ];
  for (const t of ticks(x0, x1)) {
    const x = sx(t).toFixed(1);
    out.push(
      `<line x1="${x}" x2="${x}" y1="${m.top}" y2="${height - m.bottom}" stroke="#eee"/>`,
      `<text x="${x}" y="${height - m.bottom + 16}" text-anchor="middle">${escapeXml(formatMetric(c.xMetric, t))}</text>`,
    );
  }
  for (const t of ticks(y0, y1)) {
    const y = sy(t).toFixed(1);
    out.push(
      `<line x1="${m.left}" x2="${width - m.right}" y1="${y}" y2="${y}" stroke="#eee"/>`,
      `<text x="${m.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(formatMetric(c.yMetric, t))}</text>`,
    );
  }
  out.push(
    `<text x="${(m.left + width - m.right) / 2}" y="${height - 16}" text-anchor="middle">${escapeXml(c.xMetric)}</text>`,
    `<text transform="translate(16 ${(m.top + height - m.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(c.yMetric)}</text>`,
  );
  const front = c.points.filter((p) => p.frontier).sort((a, b) => a.x - b.x || a.y - b.y);
  if (front.length > 1)
    out.push(
      `<polyline fill="none" stroke="#d62728" stroke-width="1.5" points="${front.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(" ")}"/>`,
    );
  const dot = (p: ChartPoint) =>
    `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="${p.frontier ? 4.5 : 3}" fill="${p.frontier ? "#d62728" : "#1f77b4"}" fill-opacity="${p.frontier ? 1 : 0.5}"><title>${escapeXml(`${p.label}\n${c.xMetric} = ${formatMetric(c.xMetric, p.x)}\n${c.yMetric} = ${formatMetric(c.yMetric, p.y)}`)}</title></circle>`;
  // Frontier dots last, so they sit on top.
  for (const p of c.points) if (!p.frontier) out.push(dot(p));
  for (const p of front) out.push(dot(p));
  out.push("</svg>");
  return out.join("\n");
}

/** A page with the chart and a table (header + rows of text cells); nothing outside the file. */
export function paretoHtml(c: ChartSpec, table: { header: string[]; rows: string[][] }): string {
  const cells = (r: string[], tag: string) =>
    `<tr>${r.map((v) => `<${tag}>${escapeXml(v)}</${tag}>`).join("")}</tr>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(c.title)}</title>
<style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin-top:16px}
td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}th{background:#f5f5f5}
td:first-child,th:first-child{text-align:left}</style></head>
<body>
<h1>${escapeXml(c.title)}</h1>
<p>${c.points.length} points; the ${c.points.filter((p) => p.frontier).length} red ones are the Pareto frontier (hover a dot for its design).</p>
${paretoSvg(c)}
<h2>Pareto frontier</h2>
<table>${cells(table.header, "th")}${table.rows.map((r) => cells(r, "td")).join("")}</table>
</body></html>
`;
}

/** The chart in characters: `·` a point, `●` a frontier point, on a width × height grid with axis ranges. */
export function terminalScatter(c: ChartSpec, width = 60, height = 16): string {
  const [x0, x1] = extent(c.points.map((p) => p.x));
  const [y0, y1] = extent(c.points.map((p) => p.y));
  const grid = Array.from({ length: height }, () => new Array<string>(width).fill(" "));
  for (const frontier of [false, true]) {
    for (const p of c.points) {
      if (p.frontier !== frontier) continue;
      const col = Math.round(((p.x - x0) / (x1 - x0)) * (width - 1));
      const row = height - 1 - Math.round(((p.y - y0) / (y1 - y0)) * (height - 1));
      grid[row][col] = frontier ? "●" : grid[row][col] === "●" ? "●" : "·";
    }
  }
  const yHi = formatMetric(c.yMetric, y1);
  const yLo = formatMetric(c.yMetric, y0);
  const pad = Math.max(yHi.length, yLo.length);
  const lines = grid.map((r, i) => {
    const label = i === 0 ? yHi : i === height - 1 ? yLo : "";
    return `${label.padStart(pad)} │${r.join("")}`;
  });
  const xLo = formatMetric(c.xMetric, x0);
  const xHi = formatMetric(c.xMetric, x1);
  lines.push(`${" ".repeat(pad)} └${"─".repeat(width)}`);
  lines.push(`${" ".repeat(pad + 2)}${xLo}${xHi.padStart(width - xLo.length)}`);
  lines.push(`${" ".repeat(pad + 2)}x: ${c.xMetric}, y: ${c.yMetric}; ● Pareto frontier`);
  return lines.join("\n");
}
