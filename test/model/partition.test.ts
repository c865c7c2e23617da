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

  it("balances layers that do not divide: ⌊L/c⌋ or ⌈L/c⌉ each, the ends last to get an extra one", () => {
    const counts = (layers: number, chunks: number) =>
      Array.from({ length: chunks }, (_, i) => chunkRange(layers, chunks, i).count);
    // DeepSeek-V3's 61 layers on 16 stages (its own pp 16).
    expect(partitionKind(61, 16)).toBe("balanced");
    expect(counts(61, 16)).toEqual([3, ...Array(13).fill(4), 3, 3]);
    expect(counts(80, 12)).toEqual([6, 7, 7, 7, 7, 7, 7, 7, 7, 6, 6, 6]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 200 }), (chunks, layers) => {
        if (layers < chunks) {
          expect(partitionKind(layers, chunks)).toBeUndefined();
          return;
        }
        const c = counts(layers, chunks);
        expect(c.reduce((a, b) => a + b, 0)).toBe(layers);
        expect(Math.max(...c) - Math.min(...c)).toBeLessThanOrEqual(1);
        // The ends never hold more than a middle chunk.
        if (chunks > 2)
          expect(Math.max(c[0], c[chunks - 1])).toBeLessThanOrEqual(Math.max(...c.slice(1, -1)));
        let next = 0;
        for (let i = 0; i < chunks; i++) {
          expect(chunkRange(layers, chunks, i).first).toBe(next);
          next += c[i];
        }
      }),
    );
  });

  it("rejects more chunks than layers", () => {
    expect(partitionKind(7, 8)).toBeUndefined();
    expect(partitionKind(7, 4)).toBe("balanced");
  });

  it("counts MoE and dense layers per chunk (DeepSeek-V3: 3 dense layers first)", () => {
    const m = MODEL_PRESETS["deepseek-v3"];
    // 61 layers on pp = 1: one chunk, 3 dense + 58 MoE
    expect(stageChunks(m, 1, 1, 0)[0]).toMatchObject({ dense: 3, moe: 58, embedding: true, output: true });
  });
});
