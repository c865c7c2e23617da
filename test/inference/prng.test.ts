import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makePrng, nextExponential, nextNormal, nextUint32, nextUnit } from "../../src/prng.js";
import { meanLength, sampleLength } from "../../src/workload/inference/lengths.js";

describe("prng", () => {
  it("gives the same stream for the same seed and different streams for different seeds", () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const a = makePrng(seed);
        const b = makePrng(seed);
        const c = makePrng(seed + 1);
        const xs = Array.from({ length: 8 }, () => nextUint32(a));
        const ys = Array.from({ length: 8 }, () => nextUint32(b));
        const zs = Array.from({ length: 8 }, () => nextUint32(c));
        expect(xs).toEqual(ys);
        expect(xs).not.toEqual(zs);
      }),
    );
  });

  it("matches the xoshiro128** reference output for a known state", () => {
    // From the algorithm (prng.di.unimi.it/xoshiro128starstar.c) by hand: result = rotl(s1 · 5, 7) · 9, so
    // state {1, 2, 3, 4} gives rotl(10, 7) · 9 = 11520, then s1 = 0 gives 0, then 5927040 and 70819200.
    const p = makePrng(0);
    p.s.set([1, 2, 3, 4]);
    expect([nextUint32(p), nextUint32(p), nextUint32(p), nextUint32(p)]).toEqual([
      11520, 0, 5927040, 70819200,
    ]);
  });

  it("has the moments of its distributions (200,000 draws, 1% tolerance)", () => {
    const p = makePrng(42);
    const n = 200_000;
    let u = 0;
    let e = 0;
    let z = 0;
    let z2 = 0;
    for (let i = 0; i < n; i++) {
      u += nextUnit(p);
      e += nextExponential(p, 4);
      const x = nextNormal(p);
      z += x;
      z2 += x * x;
    }
    const rows = [
      { what: "uniform mean", got: u / n, want: 0.5 },
      { what: "exponential mean (rate 4)", got: e / n, want: 0.25 },
      { what: "normal variance", got: z2 / n - (z / n) ** 2, want: 1 },
    ];
    console.table(rows.map((r) => ({ ...r, err: Math.abs(r.got / r.want - 1) })));
    for (const r of rows) expect(Math.abs(r.got / r.want - 1)).toBeLessThan(0.01);
    expect(Math.abs(z / n)).toBeLessThan(0.01);
  });
});

describe("length distributions", () => {
  it("draws whole token counts >= 1 within the distribution's range", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer(),
        (lo, span, seed) => {
          const p = makePrng(seed);
          const d = { kind: "uniform" as const, min: lo, max: lo + span };
          for (let i = 0; i < 20; i++) {
            const x = sampleLength(d, p);
            expect(Number.isInteger(x)).toBe(true);
            expect(x).toBeGreaterThanOrEqual(lo);
            expect(x).toBeLessThanOrEqual(lo + span);
          }
          const ln = sampleLength({ kind: "lognormal", mean: lo, sigma: 1.5 }, p);
          expect(ln).toBeGreaterThanOrEqual(1);
        },
      ),
    );
  });

  it("lognormal(mean, sigma) has the requested mean (100,000 draws, 2% tolerance)", () => {
    for (const sigma of [0.3, 1]) {
      const d = { kind: "lognormal" as const, mean: 2048, sigma };
      const p = makePrng(3);
      let s = 0;
      const n = 100_000;
      for (let i = 0; i < n; i++) s += sampleLength(d, p);
      console.log(`lognormal sigma ${sigma}: sample mean ${(s / n).toFixed(1)} vs ${meanLength(d)}`);
      expect(Math.abs(s / n / 2048 - 1)).toBeLessThan(0.02);
    }
  });
});
