import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { layerActivationBytes, MODEL_PRESETS, memoryPerRank, parameterCount } from "../../src/model/index.js";
import type { ParallelismSpec } from "../../src/scenario/types.js";
import { gptModel } from "../training/sc21.js";

const par = (p: Partial<ParallelismSpec>): ParallelismSpec => ({
  tp: 1,
  pp: 1,
  dp: 1,
  ep: 1,
  cp: 1,
  vpp: 1,
  zero: 0,
  sequenceParallel: false,
  ...p,
});

describe("activations (Korthikanti et al. 2022)", () => {
  const m = gptModel("gpt", 96, 12288, 96);
  const s = 2048;
  const h = 12288;
  const a = 96;
  const b = 1;

  it("are sbh(34 + 5as/h) per layer without parallelism", () => {
    expect(layerActivationBytes(m, false, par({}), b, true)).toBeCloseTo(
      s * b * h * (34 + (5 * a * s) / h),
      -2,
    );
  });

  it("are sbh(10 + 24/t + 5as/ht) with tensor parallelism, divided by t with sequence parallelism", () => {
    for (const t of [2, 4, 8]) {
      const tpOnly = layerActivationBytes(m, false, par({ tp: t }), b, true);
      expect(tpOnly).toBeCloseTo(s * b * h * (10 + 24 / t + (5 * a * s) / (h * t)), -2);
      const sp = layerActivationBytes(m, false, par({ tp: t, sequenceParallel: true }), b, true);
      expect(sp).toBeCloseTo((s * b * h * (34 + (5 * a * s) / h)) / t, -2);
    }
  });

  it("drop the 5as/h term without stored scores (selective recompute, fused attention)", () => {
    expect(layerActivationBytes(m, false, par({ tp: 8, sequenceParallel: true }), b, false)).toBeCloseTo(
      (34 * s * b * h) / 8,
      -2,
    );
  });
});

describe("memory per rank", () => {
  const model = MODEL_PRESETS["llama3-70b"];
  const base = {
    model,
    microBatch: 1,
    microBatches: 16,
    recompute: "full" as const,
    attention: "flash" as const,
  };

  it("shards optimizer, then gradients, then weights over data parallelism as ZeRO 1, 2, 3 do", () => {
    const p = (zero: 0 | 1 | 2 | 3) =>
      memoryPerRank({ ...base, parallelism: par({ tp: 8, pp: 4, dp: 16, zero, sequenceParallel: true }) });
    const z0 = p(0),
      z1 = p(1),
      z2 = p(2),
      z3 = p(3);
    expect(z1.optimizer).toBeCloseTo(z0.optimizer / 16, 0);
    expect(z1.gradients).toBe(z0.gradients);
    expect(z2.gradients).toBeCloseTo(z0.gradients / 16, 0);
    expect(z2.weights).toBe(z0.weights);
    expect(z3.weights).toBeCloseTo(z0.weights / 16, 0);
    // 2 + 2 + 12 bytes per parameter without sharding
    expect(z0.optimizer / z0.weights).toBeCloseTo(6, 9);
  });

  it("holds all parameters once across tp × pp ranks", () => {
    const p = par({ tp: 8, pp: 1, dp: 1 });
    const mem = memoryPerRank({ ...base, parallelism: p });
    expect((mem.weights / 2) * 8).toBeCloseTo(parameterCount(model).total, -3);
  });

  it("never shrinks when the micro-batch grows", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom<"none" | "selective" | "full">("none", "selective", "full"),
        (mb, rc) => {
          const p = par({ tp: 8, pp: 4, dp: 2, sequenceParallel: true });
          const a = memoryPerRank({ ...base, recompute: rc, microBatch: mb, parallelism: p });
          const c = memoryPerRank({ ...base, recompute: rc, microBatch: mb + 1, parallelism: p });
          expect(c.activations).toBeGreaterThan(a.activations);
        },
      ),
    );
  });

  it("keeps less with more recomputation", () => {
    const p = par({ tp: 8, pp: 4, dp: 2, sequenceParallel: true });
    const none = memoryPerRank({ ...base, attention: "unfused", recompute: "none", parallelism: p });
    const sel = memoryPerRank({ ...base, attention: "unfused", recompute: "selective", parallelism: p });
    const full = memoryPerRank({ ...base, attention: "unfused", recompute: "full", parallelism: p });
    expect(sel.activations).toBeLessThan(none.activations);
    expect(full.activations).toBeLessThan(sel.activations);
  });
});
