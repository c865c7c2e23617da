/** A metric's value for people, in the unit its name ends with (`stepTimeS` → `1.23 s`, `plan.costUsd` → `$1,234`). */
import {
  formatBytes,
  formatCount,
  formatPercent,
  formatPower,
  formatTime,
  formatUsd,
} from "../units/index.js";

const FRACTIONS = /(^|\.)(mfu|\w*Fraction|\w*Share\w*|utilization)$/;

export function formatMetric(name: string, value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return "-";
  const last = name.split(".").pop() ?? name;
  if (FRACTIONS.test(last)) return formatPercent(value);
  if (
    /Usd(PerHour)?$|^costUsd|Usd\./.test(last) ||
    name === "plan.costUsd" ||
    name.startsWith("plan.costUsd.")
  )
    return formatUsd(value) + (last.endsWith("PerHour") ? "/h" : last.endsWith("PerYear") ? "/yr" : "");
  if (name === "plan.powerW" || name.startsWith("plan.powerW.")) return formatPower(value);
  if (name.startsWith("exposedCommByKind.") || name.startsWith("whatIf.nonBlockingStepTimeS"))
    return formatTime(value);
  // Rates end in PerS (`throughputTokensPerS`): per second, not seconds.
  if (/PerS$/.test(last) || /PerS\.(p50|p99|max)$/.test(name)) return `${sig(value)}/s`;
  if (/Us$/.test(last)) return formatTime(value * 1e-6);
  if (/S$/.test(last) || /S\.(p50|p99|max)$/.test(name)) return formatTime(value);
  if (/Bytes$/.test(last) || /Bytes\./.test(name)) {
    // Memory in decimal GB, as the run reports and HBM capacities are quoted; transfer sizes in binary units.
    return /memory/i.test(name) ? `${Number((value / 1e9).toPrecision(3))} GB` : bytes(value);
  }
  if (/GBps$/.test(last)) return `${sig(value)} GB/s`;
  if (Number.isInteger(value)) return formatCount(value);
  return sig(value);
}

/** Measured sizes are rarely exact powers of two: three significant digits in binary units. */
function bytes(x: number): string {
  const units: [number, string][] = [
    [2 ** 40, "TiB"],
    [2 ** 30, "GiB"],
    [2 ** 20, "MiB"],
    [2 ** 10, "KiB"],
  ];
  for (const [f, u] of units) if (Math.abs(x) >= f) return `${Number((x / f).toPrecision(3))} ${u}`;
  return formatBytes(x);
}

function sig(x: number): string {
  return Math.abs(x) >= 1000 ? formatCount(Math.round(x)) : String(Number(x.toPrecision(4)));
}
