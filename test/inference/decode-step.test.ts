// The per-step decode overhead (curve `decodeStepS`, docs/compute-model.md): a fixed cost per decode step,
// so a lone request's TPOT grows by exactly that much and its prefill not at all; read from the curve of the
// precision the weights compute in, and charged once per step however the step is split.
import { describe, expect, it } from "vitest";
import { simulateInference } from "../../src/workload/inference/run.js";
import { makeReplicaLoad, stepTime } from "../../src/workload/inference/step-cost.js";
import { deepSeekEp16, servingScenario } from "./scenarios.js";
import { depsFor, load, stepCostOf } from "./setup.js";

function run(decodeStepS?: string, precision = "bf16", decodeStepCurve: "bf16" | "fp8" = "bf16") {
  const s = load(
    servingScenario({
      count: 1,
      prompt: 1024,
      output: 65,
      precision,
      decodeStepCurve,
      ...(decodeStepS ? { decodeStepS } : {}),
    }),
  );
  return simulateInference(s, depsFor(s)).results;
}

describe("decode step overhead", () => {
  it("adds decodeStepS to every decode step (TPOT), nothing to the prefill", () => {
    const base = run();
    const slow = run("1ms");
    expect(slow.tpotS.p50 - base.tpotS.p50).toBeCloseTo(1e-3, 9);
    expect(slow.ttftS.p50).toBeCloseTo(base.ttftS.p50, 9);
  });

  it("serving FP8 reads the FP8 curve's decodeStepS; serving BF16 does not", () => {
    const fp8 = run(undefined, "fp8");
    expect(run("1ms", "fp8", "fp8").tpotS.p50 - fp8.tpotS.p50).toBeCloseTo(1e-3, 9);
    // the FP8 curve takes what it does not set from the BF16 one
    expect(run("1ms", "fp8", "bf16").tpotS.p50 - fp8.tpotS.p50).toBeCloseTo(1e-3, 9);
    expect(run("1ms", "bf16", "fp8").tpotS.p50).toBeCloseTo(run().tpotS.p50, 12);
  });

  it("charges decodeStepS once per step under two-batch overlap", () => {
    const cost = (efficiency?: string) =>
      stepCostOf(load(deepSeekEp16({ decodeExtra: ", overlap: two-batch", efficiency })), 1);
    const base = cost();
    const slow = cost("{ bf16: { decodeStepS: 5ms } }"); // the FP8 curve takes it from the BF16 one
    for (const t of [1, 2, 3, 8, 33, 128]) {
      const r = makeReplicaLoad();
      r.tokens = r.seqs = t;
      r.decodePairs = r.kvTokens = t * 1056;
      const T = t * base.pool.dp;
      expect(stepTime(slow, T, r) - stepTime(base, T, r), `${t} per replica`).toBeCloseTo(5e-3, 12);
    }
  });
});
