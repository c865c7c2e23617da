import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkRange, MODEL_PRESETS, partitionKind, stageChunks } from "../../src/model/index.js";

describe("pipeline partition", () => {
  it("splits layers evenly when they divide, covering every layer once", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 8 }),
        (pp, vpp, per) => {
          const chunks = pp * vpp;
          const layers = chunks * per;
          expect(partitionKind(layers, chunks)).toBe("even");
          let next = 0;
          for (let i = 0; i < chunks; i++) {
            const r = chunkRange(layers, chunks, i);
            expect(r.first).toBe(next);
            expect(r.count).toBe(per);
            next += r.count;
          }
          expect(next).toBe(layers);
        },
      ),
    );
  });

  it("leaves the first and last chunk one layer short for Llama 3 405B on 16 stages (126 = 16 × 8 − 2)", () => {
    const m = MODEL_PRESETS["llama3-405b"];
    expect(partitionKind(126, 16)).toBe("short-ends");
    const counts = Array.from({ length: 16 }, (_, s) => stageChunks(m, 16, 1, s)[0].dense);
    expect(counts[0]).toBe(7);
    expect(counts[15]).toBe(7);
    expect(counts.slice(1, 15).every((c) => c === 8)).toBe(true);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(126);
  });

  it("rejects splits that neither rule allows", () => {
    expect(partitionKind(80, 12)).toBeUndefined();
    expect(partitionKind(7, 4)).toBeUndefined();
  });

  it("counts MoE and dense layers per chunk (DeepSeek-V3: 3 dense layers first)", () => {
    const m = MODEL_PRESETS["deepseek-v3"];
    // 61 layers on pp = 1: one chunk, 3 dense + 58 MoE
    expect(stageChunks(m, 1, 1, 0)[0]).toMatchObject({ dense: 3, moe: 58, embedding: true, output: true });
  });
});
