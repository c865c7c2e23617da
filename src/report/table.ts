/** Plain aligned text tables for the terminal. Numbers right-aligned, text left-aligned. */

export interface Column {
  header: string;
  align?: "left" | "right";
}

export function formatTable(columns: (Column | string)[], rows: (string | number)[][]): string {
  const cols = columns.map((c) => (typeof c === "string" ? { header: c } : c));
  const cells = rows.map((r) => r.map((v) => String(v)));
  const widths = cols.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] ?? "").length)));
  const align = cols.map(
    (c, i) =>
      c.align ??
      (rows.every((r) => typeof r[i] === "number" || /^[-+$]?[\d.,]/.test(String(r[i] ?? "")))
        ? "right"
        : "left"),
  );
  const line = (r: string[]) =>
    r
      .map((v, i) => (align[i] === "right" ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  const header = line(cols.map((c) => c.header));
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [header, rule, ...cells.map(line)].join("\n");
}
