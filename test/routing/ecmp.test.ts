// ecmpIndex: deterministic, in range, and evenly spread (chi-square against uniform).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ecmpIndex } from "../../src/routing/ecmp.js";

describe("ecmpIndex", () => {
  it("is deterministic and in range", () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 1 << 20 }),
        (s, d, f, seed, n) => {
          const i = ecmpIndex(s, d, f, seed, n);
          expect(i).toBe(ecmpIndex(s, d, f, seed, n));
          expect(Number.isInteger(i)).toBe(true);
          expect(i).toBeGreaterThanOrEqual(0);
          expect(i).toBeLessThan(Math.max(1, n));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("spreads flows evenly over the paths", () => {
    const rows = [];
    for (const n of [2, 7, 16, 64, 4096]) {
      const counts = new Float64Array(n);
      const flows = 200 * n;
      for (let k = 0; k < flows; k++) counts[ecmpIndex(k % 97, (k * 31) % 1009, k, 42, n)]++;
      const expected = flows / n;
      let chi2 = 0;
      for (const c of counts) chi2 += (c - expected) ** 2 / expected;
      // Normal approximation of the chi-square quantile at p = 0.999: df + 3.1·√(2·df).
      const df = n - 1;
      const limit = df + 3.1 * Math.sqrt(2 * df);
      rows.push({ n, flows, chi2: Number(chi2.toFixed(1)), limit: Number(limit.toFixed(1)) });
      expect(chi2).toBeLessThan(limit);
    }
    console.table(rows);
  });

  it("depends on every input", () => {
    const base = ecmpIndex(3, 9, 5, 1, 1 << 20);
    expect(ecmpIndex(9, 3, 5, 1, 1 << 20)).not.toBe(base);
    expect(ecmpIndex(3, 9, 6, 1, 1 << 20)).not.toBe(base);
    expect(ecmpIndex(3, 9, 5, 2, 1 << 20)).not.toBe(base);
  });
});
