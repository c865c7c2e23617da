// Expert load imbalance (src/model/expert-load.ts) and redundant experts in serving pools: the busiest
// expert-parallel rank sets the MoE layer's pace. Sampling alone makes small batches and wide EP uneven;
// `expertImbalance` multiplies what placement leaves; `redundantExperts` adds slots (memory, and EP sizes
// that do not divide the model's experts, as EPLB's 288 slots allow EP 72).
import { describe, expect, it } from "vitest";
import { expectedMaxNormal, expertLoadFactor } from "../../src/model/expert-load.js";
import { EPLB_IMBALANCE } from "../../src/scenario/inference.js";
import { readDataCsv } from "../helpers/data.js";
import { serveExample } from "./setup.js";

describe("expert load factor", () => {
  it("expected largest of n normals matches the closed forms for n = 2 and 3 (1/√π, 3/(2√π))", () => {
    expect(expectedMaxNormal(2)).toBeCloseTo(1 / Math.sqrt(Math.PI), 4);
    expect(expectedMaxNormal(3)).toBeCloseTo(1.5 / Math.sqrt(Math.PI), 4);
    expect(expectedMaxNormal(1)).toBe(0);
  });

  it("grows with the EP size, shrinks with the batch, is 1 for one rank, and never passes n", () => {
    for (const ranks of [2, 8, 32, 72, 256]) {
      let last = Number.POSITIVE_INFINITY;
      for (const pairs of [1, 16, 256, 4096, 131072]) {
        const g = expertLoadFactor(ranks, pairs);
        expect(g).toBeGreaterThanOrEqual(1);
        expect(g).toBeLessThanOrEqual(ranks);
        expect(g).toBeLessThan(last);
        last = g;
      }
      expect(expertLoadFactor(ranks * 2, 256)).toBeGreaterThan(expertLoadFactor(ranks, 256));
    }
    expect(expertLoadFactor(1, 10)).toBe(1);
    expect(expertLoadFactor(32, 4096, 1.25)).toBeCloseTo(1.25 * expertLoadFactor(32, 4096), 12);
  });

  it("validation: the EPLB default (set on EP 32) predicts TensorRT-LLM's EP 36 row within 2%", () => {
    // data/calibration/eplb_trtllm_gb200.csv: DeepSeek-R1 on 36 GB200, 288 slots, 1,024 pairs per rank.
    const row = readDataCsv("calibration/eplb_trtllm_gb200.csv").find(
      (r) => r.eplb === "offline" && Number(r.ep) === 36,
    );
    const measured = 1 + Number(row!.imbalance_ratio);
    const model = expertLoadFactor(36, Number(row!.mean_per_rank), EPLB_IMBALANCE);
    console.table([
      { ep: 36, measured, model: +model.toFixed(4), errPct: +((model / measured - 1) * 100).toFixed(2) },
    ]);
    expect(Math.abs(model / measured - 1)).toBeLessThan(0.02);
  });
});

const ROCE = "examples/inference-deepseek-v3-ep-roce.yaml";

function serve(prefillExtra: string) {
  return serveExample(ROCE, 200, [
    ["instances: 2, maxBatch: 64 }", `instances: 2, maxBatch: 64${prefillExtra} }`],
  ]);
}

describe("expert load in serving DeepSeek-V3 (EP 32 over RoCE)", () => {
  it("a placement that leaves the busiest rank 1.3× the mean raises TTFT over EPLB's default", () => {
    const even = serve("");
    const skewed = serve(", expertImbalance: 1.3");
    console.table([
      { placement: "EPLB (default)", ttftP50: even.ttftS.p50, ttftP99: even.ttftS.p99 },
      { placement: "1.3×", ttftP50: skewed.ttftS.p50, ttftP99: skewed.ttftS.p99 },
    ]);
    expect(skewed.ttftS.p50).toBeGreaterThan(even.ttftS.p50 * 1.05);
  });

  it("redundant experts take memory, one routed expert's weights per slot", () => {
    const plain = serve("");
    const redundant = serve(", redundantExperts: 32");
    const extra = redundant.pools![0].weightsPerAcceleratorBytes - plain.pools![0].weightsPerAcceleratorBytes;
    // one more routed expert per rank (288/32 = 9 against 8): 58 MoE layers × 3 × 7168 × 2048 FP8 bytes
    expect(extra).toBeCloseTo(58 * 3 * 7168 * 2048, -3);
  });

  it("EP 24 needs slots it divides: 256 experts refuse it, 256 + 32 redundant take it", () => {
    const ep24 = (extra: string) =>
      serveExample(ROCE, 20, [
        [
          "tp: 1, dp: 32, ep: 32, instances: 2, maxBatch: 64 }",
          `tp: 1, dp: 24, ep: 24, instances: 2, maxBatch: 64${extra} }`,
        ],
      ]);
    expect(() => ep24("")).toThrow(/ep 24 must divide the 256 experts/);
    expect(ep24(", redundantExperts: 32").completed).toBeGreaterThan(0);
  });
});
