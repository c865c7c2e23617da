/**
 * A small deterministic pseudo-random generator for request streams: xoshiro128** (Blackman & Vigna,
 * "Scrambled linear pseudorandom number generators", 2018) seeded through splitmix32, so any integer seed
 * gives a well-mixed state and the same seed always gives the same stream on every platform (only 32-bit
 * integer arithmetic, no Math.random).
 */

export interface Prng {
  s: Uint32Array;
  /** A second normal deviate left over from the last Box–Muller pair (NaN when none). */
  spareNormal: number;
}

export function makePrng(seed: number): Prng {
  const s = new Uint32Array(4);
  let x = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < 4; i++) {
    // splitmix32: a different, full-period sequence used only to fill the state.
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    s[i] = (z ^ (z >>> 16)) >>> 0;
  }
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1; // the all-zero state is a fixed point
  return { s, spareNormal: Number.NaN };
}

/** Next 32-bit unsigned integer (xoshiro128**). */
export function nextUint32(p: Prng): number {
  const s = p.s;
  const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
  const t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return result;
}

/** Uniform in (0, 1): never exactly 0, so logarithms stay finite. */
export function nextUnit(p: Prng): number {
  return (nextUint32(p) + 0.5) / 4294967296;
}

/** Exponential with the given rate (mean 1 / rate): the gap between Poisson arrivals. */
export function nextExponential(p: Prng, rate: number): number {
  return -Math.log(nextUnit(p)) / rate;
}

/** Standard normal deviate (Box–Muller, both values of each pair used). */
export function nextNormal(p: Prng): number {
  if (!Number.isNaN(p.spareNormal)) {
    const z = p.spareNormal;
    p.spareNormal = Number.NaN;
    return z;
  }
  const r = Math.sqrt(-2 * Math.log(nextUnit(p)));
  const a = 2 * Math.PI * nextUnit(p);
  p.spareNormal = r * Math.sin(a);
  return r * Math.cos(a);
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** φ − 1: the golden ratio's step, whose multiples mod 1 spread most evenly (Weyl's sequence). */
const GOLDEN_STEP = 0.6180339887498949;

/**
 * Standard normal values spread evenly rather than drawn: entry `index` is the normal quantile of
 * frac(u + (index + 1) · (φ − 1)), u fixed by the seed. Any run of consecutive indices covers the
 * distribution as evenly as a run of that length can (a low-discrepancy sequence), so a handful of flows
 * with neighbouring indices gets a fair sample of deviations instead of a lucky or unlucky draw.
 */
export function spreadNormal(index: number, seed: number): number {
  const x = seedOffset(seed) + (index + 1) * GOLDEN_STEP;
  return normalQuantile(x - Math.floor(x) || 0.5);
}

/** A seed's offset in [0, 1) (splitmix32's mix of it). */
function seedOffset(seed: number): number {
  let z = (Math.trunc(seed) + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
}

/**
 * The standard normal quantile Φ⁻¹(p) for 0 < p < 1: Acklam's rational approximations (relative error
 * below 1.2e-9) for the centre and the tails.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const low = 0.02425;
  if (p < low) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - low) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  const num =
    ((((-39.69683028665376 * r + 220.9460984245205) * r - 275.9285104469687) * r + 138.357751867269) * r -
      30.66479806614716) *
      r +
    2.506628277459239;
  const den =
    ((((-54.47609879822406 * r + 161.5858368580409) * r - 155.6989798598866) * r + 66.80131188771972) * r -
      13.28068155288572) *
      r +
    1;
  return (num * q) / den;
}

/** Acklam's tail approximation, in q = √(−2 ln p) (the lower tail; negate for the upper). */
function tail(q: number): number {
  const num =
    ((((-0.007784894002430293 * q - 0.3223964580411365) * q - 2.400758277161838) * q - 2.549732539343734) *
      q +
      4.374664141464968) *
      q +
    2.938163982698783;
  const den =
    (((0.007784695709041462 * q + 0.3224671290700398) * q + 2.445134137142996) * q + 3.754408661907416) * q +
    1;
  return num / den;
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 for erf; |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
