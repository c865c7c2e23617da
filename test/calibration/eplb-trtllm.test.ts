// Calibration: the default expert imbalance (EPLB_IMBALANCE, src/scenario/inference.ts) was set from the
// EP 32 EPLB row of TensorRT-LLM's expert load statistics (data/calibration/eplb_trtllm_gb200.csv). This
// checks the fit is still in place; the EP 36 row, not used, is the validation (test/inference/expert-load.test.ts).
import { describe, expect, it } from "vitest";
import { expertLoadFactor } from "../../src/model/expert-load.js";
import { EPLB_IMBALANCE } from "../../src/scenario/inference.js";
import { readDataCsv } from "../helpers/data.js";

describe("default expert imbalance against TensorRT-LLM's EPLB statistics (in-sample)", () => {
  it("EP 32 with 32 redundant experts: the busiest rank at 1.109 × the mean, within 0.5%", () => {
    const row = readDataCsv("calibration/eplb_trtllm_gb200.csv").find(
      (r) => r.eplb === "offline" && Number(r.ep) === 32,
    );
    expect(row).toBeDefined();
    const measured = 1 + Number(row!.imbalance_ratio);
    const model = expertLoadFactor(32, Number(row!.mean_per_rank), EPLB_IMBALANCE);
    console.table([
      { ep: 32, measured, model: +model.toFixed(4), errPct: +((model / measured - 1) * 100).toFixed(2) },
    ]);
    expect(Math.abs(model / measured - 1)).toBeLessThan(0.005);
  });
});
