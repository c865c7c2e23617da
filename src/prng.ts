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
