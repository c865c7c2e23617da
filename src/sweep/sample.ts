/**
 * Which points of the axes' grid a sweep visits: all of them (grid, first axis slowest), or a seeded
 * random subset without repeats. A point is a list of value indexes, one per axis.
 */
import type { Axis, Sampling } from "./spec.js";

export function gridSize(axes: readonly Axis[]): number {
  return axes.reduce((n, a) => n * a.values.length, 1);
}

/** The grid point with this index (mixed radix, the last axis varying fastest). */
export function gridPoint(axes: readonly Axis[], index: number): number[] {
  const out = new Array<number>(axes.length);
  for (let i = axes.length - 1; i >= 0; i--) {
    const n = axes[i].values.length;
    out[i] = index % n;
    index = Math.floor(index / n);
  }
  return out;
}

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same points on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The grid indexes a sweep visits, in the order it runs them. */
export function samplePoints(axes: readonly Axis[], sampling: Sampling): number[] {
  const size = gridSize(axes);
  if (!Number.isSafeInteger(size)) throw new Error(`the grid has more than 2^53 points; sample fewer axes`);
  if (sampling.kind === "grid" || sampling.count >= size) return Array.from({ length: size }, (_, i) => i);
  // Floyd's algorithm: `count` distinct indexes with as many draws, however large the grid.
  const random = prng(sampling.seed);
  const chosen = new Set<number>();
  for (let j = size - sampling.count; j < size; j++) {
    const t = Math.floor(random() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen].sort((a, b) => a - b);
}
