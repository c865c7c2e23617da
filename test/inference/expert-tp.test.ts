// Without expert parallelism (ep 1) a tp > 1 instance splits every routed expert over its tensor-parallel
// ranks, as vLLM, SGLang and TensorRT-LLM do (pools.ts `expertTp`): each rank holds P_routed/tp of the
// expert weights and runs 1/tp of every expert's FFN width, the layer's TP all-reduce summing the slices.
// Mixtral 8x7B (8 experts, top 2).
import { describe, expect, it } from "vitest";
import { MODEL_PRESETS } from "../../src/model/index.js";
import { parameterCount } from "../../src/model/params.js";
import { weightsPerAccelerator } from "../../src/workload/inference/pools.js";
import { simulateInference } from "../../src/workload/inference/run.js";
import { makeReplicaLoad, type StepBreakdown, stepTime } from "../../src/workload/inference/step-cost.js";
import { servingScenario } from "./scenarios.js";
import { depsFor, load, stepCostOf } from "./setup.js";

const mixtral = MODEL_PRESETS["mixtral-8x7b"];

/** Kernel seconds (no TP all-reduce) of a decode step of `batch` sequences of 1,024 tokens, on H200 at `tp`. */
function decodeCompute(tp: number, batch: number): number {
  const c = stepCostOf(
    load(servingScenario({ model: "mixtral-8x7b", decodeTp: tp, prefillGroup: "h200", prefillTp: 1 })),
    1,
  );
  const r = makeReplicaLoad();
  r.tokens = r.seqs = batch;
  r.decodePairs = r.kvTokens = batch * 1024;
  const out: StepBreakdown = { compute: 0, tp: 0, ep: 0 };
  stepTime(c, batch, r, out);
  return out.compute;
}

describe("tensor-parallel experts (ep 1, tp > 1)", () => {
  it("hold P_routed / tp expert weights per rank: as much as EP over the same ranks", () => {
    const total = parameterCount(mixtral).total;
    for (const tp of [2, 4, 8]) {
      const weights = weightsPerAccelerator(mixtral, tp, 1, 2);
      expect(weights / ((total * 2) / tp), `tp ${tp}`).toBeCloseTo(1, 12);
      expect(weights, `tp ${tp}`).toBe(weightsPerAccelerator(mixtral, tp, tp, 2));
    }
  });

  it("serve Mixtral at tp 2 on 80 GB H100s (46.7 GB of weights per GPU)", () => {
    const s = load(servingScenario({ model: "mixtral-8x7b", prefillTp: 2, decodeTp: 2, count: 2 }));
    const r = simulateInference(s, depsFor(s));
    expect(r.results.completed).toBe(2);
    expect(r.pools[0].weightsPerAcceleratorBytes / 1e9).toBeCloseTo(46.7, 1);
  });

  it("read half the weights per rank at tp 2: a memory-bound decode step's kernels take half as long", () => {
    // everything per rank halves but the norms, residual adds and the router (each rank runs all tokens)
    for (const batch of [1, 8, 64]) {
      const ratio = decodeCompute(2, batch) / decodeCompute(1, batch);
      expect(ratio, `batch ${batch}`).toBeGreaterThan(0.5);
      expect(ratio, `batch ${batch}`).toBeLessThan(0.505);
    }
  });

  it("split the experts' FLOPs over the ranks: a compute-bound step's kernels also halve", () => {
    const ratio = decodeCompute(2, 4096) / decodeCompute(1, 4096);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(0.52);
  });
});
