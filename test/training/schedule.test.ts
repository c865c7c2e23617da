import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bubbleFraction1F1B, simulatePipeline } from "../../src/workload/training/schedule.js";

function uniform(pp: number, vpp: number, m: number, F: number, B: number, p2p = 0) {
  return {
    pp,
    vpp,
    m,
    fwdS: new Float64Array(pp * vpp).fill(F / vpp),
    bwdS: new Float64Array(pp * vpp).fill(B / vpp),
    p2pS: new Float64Array(pp).fill(p2p),
  };
}

describe("pipeline schedule", () => {
  it("has the 1F1B bubble (p−1)/(m+p−1) with equal stages and free transfers", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 32 }),
        fc.integer({ min: 1, max: 64 }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (pp, m, ratio) => {
          const F = 1;
          const B = ratio;
          const r = simulatePipeline(uniform(pp, 1, m, F, B));
          const bubble = 1 - (m * (F + B)) / r.makespan;
          expect(bubble).toBeCloseTo(bubbleFraction1F1B(pp, m), 9);
        },
      ),
    );
  });

  it("shrinks the bubble with interleaving (vpp), towards (p−1)/(v·m)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 16 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 2, max: 4 }),
        (pp, groups, vpp) => {
          const m = pp * groups; // the interleaved schedule needs m % pp == 0
          const plain = simulatePipeline(uniform(pp, 1, m, 1, 2)).makespan;
          const inter = simulatePipeline(uniform(pp, vpp, m, 1, 2)).makespan;
          expect(inter).toBeLessThan(plain);
          const bubble = 1 - (m * 3) / inter;
          expect(bubble).toBeLessThanOrEqual(bubbleFraction1F1B(pp, m) + 1e-12);
          // Narayanan et al.: the interleaved bubble is (p−1)/(v·m) of the ideal time
          expect(inter - m * 3).toBeCloseTo(((pp - 1) * 3) / vpp, 6);
        },
      ),
    );
  });

  it("runs every op once, in order, without overlap on a stage", () => {
    const r = simulatePipeline(uniform(4, 2, 8, 1, 2, 0.05));
    for (let s = 0; s < 4; s++) {
      let t = 0;
      for (let i = s * r.opsPerStage; i < (s + 1) * r.opsPerStage; i++) {
        expect(r.opStart[i]).toBeGreaterThanOrEqual(t - 1e-12);
        t = r.opEnd[i];
      }
    }
    expect(r.opsPerStage).toBe(2 * 8 * 2);
  });

  it("never finishes earlier when an op or a transfer gets slower", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 7 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (pp, groups, which, extra) => {
          const m = pp * groups;
          const base = uniform(pp, 2, m, 1, 2, 0.1);
          const slower = uniform(pp, 2, m, 1, 2, 0.1);
          slower.bwdS[which % (2 * pp)] += extra;
          slower.p2pS[which % pp] += extra;
          expect(simulatePipeline(slower).makespan).toBeGreaterThanOrEqual(
            simulatePipeline(base).makespan - 1e-12,
          );
        },
      ),
    );
  });
});
