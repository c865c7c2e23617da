// The deviates sharing by path gives flows for NSCC's drift (src/prng.ts): normal quantiles of a
// golden-ratio sequence, so a few flows of neighbouring indices get an even sample, not a lucky draw.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalCdf, normalQuantile, spreadNormal } from "../../src/prng.js";

describe("spread normal deviates", () => {
  it("normalQuantile inverts the normal CDF (an independent formula) across the centre and both tails", () => {
    for (const p of [1e-9, 1e-4, 0.01, 0.02425, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97575, 0.99, 1 - 1e-6]) {
      expect(Math.abs(normalCdf(normalQuantile(p)) - p)).toBeLessThan(2e-7);
    }
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(() => normalQuantile(0)).toThrow(RangeError);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });

  it("any run of 8 neighbouring indices is an even sample: never bunched, never far off centre", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer(), (start, seed) => {
        const z = Array.from({ length: 8 }, (_, i) => spreadNormal(start + i, seed));
        const mean = z.reduce((a, b) => a + b, 0) / z.length;
        const sd = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / (z.length - 1));
        // Over 20,000 runs: |mean| at most 0.67, sd 0.95–1.85 (a point near 0 or 1 of the sequence stretches
        // them; the bounds leave room for one as far out as 1e-8). Eight independent draws have sd under 0.9
        // four times in ten.
        expect(Math.abs(mean)).toBeLessThan(0.9);
        expect(sd).toBeGreaterThan(0.9);
        expect(sd).toBeLessThan(2.5);
      }),
    );
  });

  it("is fixed by index and seed, and another seed shifts the whole sequence", () => {
    expect(spreadNormal(3, 1)).toBe(spreadNormal(3, 1));
    const a = Array.from({ length: 4 }, (_, i) => spreadNormal(i, 1));
    const b = Array.from({ length: 4 }, (_, i) => spreadNormal(i, 2));
    expect(a).not.toEqual(b);
  });
});
