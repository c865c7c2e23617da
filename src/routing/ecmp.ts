/**
 * ECMP path choice: a deterministic 32-bit hash of (src, dst, flow key, seed) mapped onto n paths. The mix is
 * MurmurHash3's 32-bit finalizer (fmix32, Appleby), applied after folding in each input with a distinct odd
 * multiplier so that swapped fields give different hashes. Same inputs → same path on every run.
 */

/** MurmurHash3 fmix32: avalanches all 32 bits. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function ecmpHash(src: number, dst: number, flowKey: number, seed: number): number {
  let h = fmix32(seed ^ 0x9e3779b9);
  h = fmix32(h ^ Math.imul(src, 0xcc9e2d51));
  h = fmix32(h ^ Math.imul(dst, 0x1b873593));
  return fmix32(h ^ Math.imul(flowKey, 0xe6546b64));
}

/** Path index in [0, n) for this flow; 0 when n <= 1. Multiply-shift keeps the split even for any n. */
export function ecmpIndex(src: number, dst: number, flowKey: number, seed: number, n: number): number {
  if (n <= 1) return 0;
  return Math.floor((ecmpHash(src, dst, flowKey, seed) / 4294967296) * n);
}
