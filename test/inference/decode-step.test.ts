// The per-step decode overhead (curve `decodeStepS`, docs/compute-model.md): a fixed cost per decode step,
// so a lone request's TPOT grows by exactly that much and its prefill not at all.
import { describe, expect, it } from "vitest";
import { simulateInference } from "../../src/workload/inference/run.js";
import { servingScenario } from "./scenarios.js";
import { depsFor, load } from "./setup.js";

function run(decodeStepS?: string) {
  const s = load(
    servingScenario({ count: 1, prompt: 1024, output: 65, ...(decodeStepS ? { decodeStepS } : {}) }),
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
});
