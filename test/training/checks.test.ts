import { describe, expect, it } from "vitest";
import { WeftError } from "../../src/errors.js";
import { MODEL_PRESETS } from "../../src/model/index.js";
import type { Scenario } from "../../src/scenario/types.js";
import { runTraining, scenarioCommModel } from "../../src/workload/training/index.js";
import { type JobOptions, skeletonFabric, trainingScenario } from "./fixtures.js";

const cluster = {
  accelerator: "H100-SXM",
  scaleUp: "nvlink4",
  nics: { count: 8, bandwidth: 50e9 },
  switch: "QM9700",
  nodes: 8,
};

function job(over: Partial<JobOptions> = {}): Scenario {
  return trainingScenario("checks", cluster, {
    model: MODEL_PRESETS["llama3-70b"],
    parallelism: { tp: 8, pp: 4, dp: 2, sequenceParallel: true, zero: 1 },
    microBatch: 1,
    globalBatch: 16,
    recompute: "full",
    ...over,
  });
}

function run(sc: Scenario) {
  return runTraining(sc, { fabric: skeletonFabric(sc), comm: scenarioCommModel(sc) });
}

function failure(sc: Scenario): WeftError {
  try {
    run(sc);
  } catch (e) {
    expect(e).toBeInstanceOf(WeftError);
    return e as WeftError;
  }
  throw new Error("expected a WeftError");
}

describe("training checks", () => {
  it("accepts a valid job", () => {
    expect(run(job()).stepTimeS).toBeGreaterThan(0);
  });

  it("rejects tp × pp × dp × cp ≠ accelerators, naming the numbers", () => {
    const e = failure(job({ parallelism: { tp: 8, pp: 4, dp: 4 } }));
    expect(e.message).toMatch(/8 × 4 × 4 × 1 = 128/);
    expect(e.message).toMatch(/64 accelerators/);
  });

  it("rejects heads not divisible by tp", () => {
    const model = { ...MODEL_PRESETS["llama3-70b"], heads: 60, kvHeads: 4 };
    const e = failure(job({ model, parallelism: { tp: 8, pp: 4, dp: 2 } }));
    expect(e.message).toMatch(/tp 8 must divide the model's 60 attention heads/);
  });

  it("rejects more pipeline chunks than layers (and splits the rest, evenly or not)", () => {
    const e = failure(job({ parallelism: { tp: 8, pp: 4, dp: 2, vpp: 25 } }));
    expect(e.message).toMatch(/pp × vpp = 4 × 25 = 100 pipeline chunks is more than the model's 80 layers/);
    // 80 layers over 12 chunks: 6, 7 × 8, 6, 6, 6.
    expect(run(job({ parallelism: { tp: 8, pp: 4, dp: 2, vpp: 3 } })).stepTimeS).toBeGreaterThan(0);
  });

  it("rejects a model that does not fit in HBM, naming the estimate and the capacity", () => {
    const e = failure(job({ parallelism: { tp: 1, pp: 8, dp: 8, zero: 0 }, recompute: "none" }));
    expect(e.message).toMatch(/llama3-70b does not fit/);
    expect(e.message).toMatch(
      /weights [\d.]+ GB, gradients [\d.]+ GB, optimizer [\d.]+ GB, activations [\d.]+ GB/,
    );
    expect(e.message).toMatch(/H100-SXM has 85\.5 GB of HBM/); // 81,559 MiB, as the device exposes it
  });

  it("rejects a global batch that micro-batches and dp do not divide", () => {
    const e = failure(job({ globalBatch: 15 }));
    expect(e.message).toMatch(/globalBatch 15 must be a multiple of microBatch × dp = 1 × 2 = 2/);
  });

  it("rejects expert parallelism with tensor parallelism but no sequence parallelism", () => {
    const model = MODEL_PRESETS["mixtral-8x7b"];
    const e = failure(job({ model, parallelism: { tp: 8, pp: 4, dp: 2, ep: 2, sequenceParallel: false } }));
    expect(e.message).toMatch(/ep 2 with tp 8 needs sequenceParallel: true/);
  });

  it("rejects expert parallelism on a dense model", () => {
    const e = failure(job({ parallelism: { tp: 8, pp: 4, dp: 2, ep: 2 } }));
    expect(e.message).toMatch(/ep 2 needs a mixture-of-experts model/);
  });

  it("points at the line and column of the offending key when the scenario came from a file", () => {
    const sc = job({ parallelism: { tp: 8, pp: 4, dp: 2, vpp: 25 } });
    sc.file = "/tmp/job.yaml";
    sc.sourceMap = { "workload.training.parallelism.vpp": { file: "/tmp/job.yaml", line: 14, col: 31 } };
    const e = failure(sc);
    expect(e.position).toEqual({ file: "/tmp/job.yaml", line: 14, col: 31 });
    expect(e.message.startsWith("/tmp/job.yaml:14:31: ")).toBe(true);
  });
});
