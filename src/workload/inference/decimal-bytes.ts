/** Bytes in decimal units, as datasheets print HBM (80 GB, 141 GB): three significant digits. */
export function decimalBytes(b: number): string {
  const units: [number, string][] = [
    [1e15, "PB"],
    [1e12, "TB"],
    [1e9, "GB"],
    [1e6, "MB"],
    [1e3, "KB"],
  ];
  for (const [f, u] of units) if (Math.abs(b) >= f) return `${Number((b / f).toPrecision(3))} ${u}`;
  return `${Number(b.toPrecision(3))} B`;
}
