/**
 * Simulated time of the packet engine: integer picoseconds held in float64 (exact up to 2^53 ps, about
 * 2.5 hours), as htsim counts time. Every duration is rounded to a whole picosecond once, where it is made,
 * so sums of serialization and propagation times never drift.
 */
export const PS_PER_S = 1e12;
export const PS_PER_US = 1e6;

/** Seconds → whole picoseconds. */
export function toPs(seconds: number): number {
  return Math.round(seconds * PS_PER_S);
}

/** Picoseconds → seconds. */
export function psToS(ps: number): number {
  return ps / PS_PER_S;
}

/** Serialization time of `bytes` at `psPerByte` (picoseconds per byte), whole picoseconds. */
export function serializationPs(bytes: number, psPerByte: number): number {
  return Math.round(bytes * psPerByte);
}
