// Human units, as the CLI prints them (SI inside, people's units outside).

const SI = ["", "k", "M", "G", "T", "P"];

export function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return "—";
  const a = Math.abs(s);
  if (a === 0) return "0 s";
  if (a < 1e-6) return `${(s * 1e9).toFixed(a < 1e-8 ? 2 : 1)} ns`;
  if (a < 1e-3) return `${(s * 1e6).toPrecision(3)} us`;
  if (a < 1) return `${(s * 1e3).toPrecision(3)} ms`;
  return `${s.toPrecision(3)} s`;
}

export function fmtBytes(b: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (Math.abs(b) >= 1024 && i < units.length - 1) {
    b /= 1024;
    i++;
  }
  return `${Number.isInteger(b) ? b : b.toPrecision(3)} ${units[i]}`;
}

/** A number with an SI prefix: 1.23 k, 412 M. */
export function fmtSi(x: number, unit = ""): string {
  if (!Number.isFinite(x)) return "—";
  let i = 0;
  while (Math.abs(x) >= 1000 && i < SI.length - 1) {
    x /= 1000;
    i++;
  }
  return `${Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3)} ${SI[i]}${unit}`.trim();
}

export function fmtBandwidth(bytesPerS: number): string {
  return fmtSi(bytesPerS * 8, "b/s");
}

export function fmtUsd(x: number): string {
  return `$${fmtSi(x)}`.replace(/ $/, "");
}

export function fmtPct(f: number): string {
  return `${(f * 100).toFixed(f < 0.1 ? 2 : 1)} %`;
}

export function fmtCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
