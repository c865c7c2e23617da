/**
 * The one percentile definition of every report (inference latencies, traffic flow completion times):
 * linear interpolation between order statistics, NumPy's default "linear" method (Hyndman and Fan type 7).
 */
import type { Percentiles } from "./types.js";

/** p in [0, 1] of the finite values of xs (NaN entries are skipped); 0 when there are none. */
export function percentile(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const x = p * (n - 1);
  const i = Math.floor(x);
  const f = x - i;
  return i + 1 < n ? sorted[i] + f * (sorted[i + 1] - sorted[i]) : sorted[i];
}

/** The finite values of xs, sorted ascending. */
export function sortedFinite(xs: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i])) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i])) out[k++] = xs[i];
  return out.sort();
}

export function p50p99(xs: Float64Array): Percentiles {
  const s = sortedFinite(xs);
  return { p50: percentile(s, 0.5), p99: percentile(s, 0.99) };
}

/** Quantiles of xs at 0, 1/(points − 1), …, 1: a distribution in a few numbers (a CDF to draw). */
export function quantiles(xs: Float64Array, points = 51): number[] {
  const s = sortedFinite(xs);
  if (s.length === 0) return [];
  return Array.from({ length: points }, (_, i) => percentile(s, i / (points - 1)));
}
