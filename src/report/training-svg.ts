/**
 * The timeline of one training step as an SVG Gantt chart (`weft run --svg FILE`): one row per pipeline
 * stage, compute / exposed communication / idle spans, a time axis and a legend.
 */
import type { TrainingResults } from "../results/types.js";
import { formatTime } from "../units/index.js";

const COLOR = { compute: "#2b6cb0", comm: "#dd6b20", idle: "#e2e8f0" } as const;
const ROW = 18;
const LEFT = 80;
const WIDTH = 960;
const TOP = 40;

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function trainingTimelineSvg(r: TrainingResults): string {
  const stages = r.timeline.reduce((a, s) => Math.max(a, s.stage + 1), 0);
  const plot = WIDTH - LEFT - 20;
  const x = (t: number) => LEFT + (t / r.stepTimeS) * plot;
  const height = TOP + stages * ROW + 60;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<text x="${LEFT}" y="20" font-size="14">${esc(r.scenario)}: one step, ${esc(formatTime(r.stepTimeS))}</text>`,
  ];
  for (let s = 0; s < stages; s++) {
    parts.push(`<text x="${LEFT - 6}" y="${TOP + s * ROW + ROW - 5}" text-anchor="end">stage ${s}</text>`);
  }
  for (const span of r.timeline) {
    const w = x(span.endS) - x(span.startS);
    if (w <= 0) continue;
    const y = TOP + span.stage * ROW + 1;
    parts.push(
      `<rect x="${x(span.startS).toFixed(2)}" y="${y}" width="${Math.max(w, 0.3).toFixed(2)}" height="${ROW - 2}" fill="${COLOR[span.kind]}"><title>${esc(span.label)}: ${esc(formatTime(span.endS - span.startS))}</title></rect>`,
    );
  }
  const axis = TOP + stages * ROW + 14;
  for (let i = 0; i <= 5; i++) {
    const t = (r.stepTimeS * i) / 5;
    parts.push(`<text x="${x(t).toFixed(1)}" y="${axis}" text-anchor="middle">${esc(formatTime(t))}</text>`);
  }
  let lx = LEFT;
  for (const [kind, label] of [
    ["compute", "compute"],
    ["comm", "exposed communication"],
    ["idle", "idle (bubble, waiting)"],
  ] as const) {
    parts.push(`<rect x="${lx}" y="${axis + 14}" width="12" height="12" fill="${COLOR[kind]}"/>`);
    parts.push(`<text x="${lx + 16}" y="${axis + 24}">${label}</text>`);
    lx += 190;
  }
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
