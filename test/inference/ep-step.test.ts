// Expert-parallel dispatch and combine per step (step-cost.ts): the straggler factor γ (expert-load.ts)
// scales the bytes the busiest rank receives, never the kernels' fixed latencies, so a step's EP time
// grows with its batch; DeepEP's normal kernels (prefill) pay their fixed cost per call as the low-latency
// ones (decode) do. DeepSeek-V3 in FP8 with EP 16 on 4 × 8 H200 (scenarios.ts), with the collectives that
// serving runs on the fabric and with the closed-form alpha–beta model.
import { describe, expect, it } from "vitest";
import { DEEPEP, deepEpTime } from "../../src/collectives/deepep.js";
import { moeLayerCount } from "../../src/model/dims.js";
import type { InferenceWorkload } from "../../src/scenario/types.js";
import { planPools } from "../../src/workload/inference/pools.js";
import {
  makeReplicaLoad,
  makeStepCost,
  type StepBreakdown,
  stepTime,
} from "../../src/workload/inference/step-cost.js";
import { scenarioCommModel } from "../../src/workload/training/comm.js";
import { deepSeekEp16 } from "./scenarios.js";
import { load, stepCostOf } from "./setup.js";

type Comm = "fabric" | "alpha-beta";

function epPerStep(role: 0 | 1, kernels: "nccl" | "deepep", perReplica: number[], comm: Comm = "fabric") {
  const extra = `, epKernels: ${kernels}`;
  const s = load(deepSeekEp16({ prefillExtra: extra, decodeExtra: extra }));
  const w = s.workload as InferenceWorkload;
  const c =
    comm === "fabric"
      ? stepCostOf(s, role)
      : makeStepCost(w.model, planPools(s, w)[role], scenarioCommModel(s), w.precision);
  return perReplica.map((t) => {
    const r = makeReplicaLoad();
    r.tokens = r.seqs = t;
    r.decodePairs = r.kvTokens = t * 2048;
    const out: StepBreakdown = { compute: 0, tp: 0, ep: 0 };
    stepTime(c, t * c.pool.dp, r, out);
    return out.ep;
  });
}

const FIXED = DEEPEP.fixedS.dispatch + DEEPEP.fixedS.combine;
const LAYERS = 58; // DeepSeek-V3's MoE layers

describe("EP time per step", () => {
  const counts = Array.from({ length: 256 }, (_, i) => i + 1);
  for (const comm of ["fabric", "alpha-beta"] as const) {
    for (const role of [0, 1] as const) {
      for (const kernels of ["nccl", "deepep"] as const) {
        it(`${role ? "decode" : "prefill"}, ${kernels}, ${comm}: never falls as tokens per rank grow`, () => {
          const ep = epPerStep(role, kernels, counts, comm);
          for (let i = 1; i < ep.length; i++)
            expect(ep[i], `${counts[i]} tokens`).toBeGreaterThanOrEqual(ep[i - 1]);
        });
      }
    }
  }

  it("DeepEP pays its fixed cost on every call, normal kernels (prefill) as low-latency ones (decode)", () => {
    expect(moeLayerCount((load(deepSeekEp16()).workload as InferenceWorkload).model)).toBe(LAYERS);
    const group = { ep: 16, perNode: 8, scaleUpBandwidth: 450e9, scaleOutBandwidth: 50e9 };
    for (const kernel of ["normal", "low-latency"] as const) {
      for (const phase of ["dispatch", "combine"] as const) {
        const call = { kernel, phase, tokens: 0, hidden: 7168, topK: 8, experts: 256 };
        expect(deepEpTime(group, call)).toBe(DEEPEP.fixedS[phase]);
      }
    }
    const [prefill] = epPerStep(0, "deepep", [1]);
    const [decode] = epPerStep(1, "deepep", [1]);
    expect(prefill).toBeGreaterThan(LAYERS * FIXED);
    expect(decode).toBeGreaterThan(LAYERS * FIXED);
    // one token's bytes add little to the fixed cost
    expect(prefill).toBeLessThan(1.1 * LAYERS * FIXED);
  });
});
