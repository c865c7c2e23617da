// Two-batch overlap (pool `overlap: two-batch`, step-cost.ts): DeepSeek-V3 served with expert parallelism
// 32 over 400G RoCE (examples/inference-deepseek-v3-ep-roce.yaml, fewer requests): the EP share of TPOT
// falls when one micro-batch's all-to-alls run under the other's compute. At this light load TPOT itself
// rises: decode is memory-bound, and each micro-batch reads every local expert's weights again — which is
// why serving stacks turn two-batch overlap on only for large batches. Then the step's own properties: two
// whole micro-batches, never below the whole batch's compute or communication, never falling as it grows.
import { describe, expect, it } from "vitest";
import { moeLayerCount } from "../../src/model/dims.js";
import { simulateInference } from "../../src/workload/inference/run.js";
import {
  makeReplicaLoad,
  type ReplicaLoad,
  type StepBreakdown,
  type StepCost,
  stepTime,
} from "../../src/workload/inference/step-cost.js";
import { deepSeekEp16 } from "./scenarios.js";
import { depsFor, load, serveExample, stepCostOf } from "./setup.js";

function run(overlap: "none" | "two-batch") {
  return serveExample("examples/inference-deepseek-v3-ep-roce.yaml", 200, [
    ["instances: 2, maxBatch: 512 }", `instances: 2, maxBatch: 512, overlap: ${overlap} }`],
  ]);
}

describe("two-batch overlap in serving", () => {
  it("cuts the EP share of TPOT for DeepSeek-V3 over RoCE; light-load TPOT pays the second weight read", () => {
    const plain = run("none");
    const tbo = run("two-batch");
    const share = (r: typeof plain) => r.tpotNetworkShare?.ep ?? 0;
    console.table([
      { overlap: "none", tpotP50: plain.tpotS.p50, epShare: share(plain) },
      { overlap: "two-batch", tpotP50: tbo.tpotS.p50, epShare: share(tbo) },
    ]);
    expect(share(plain)).toBeGreaterThan(0.05);
    expect(share(tbo)).toBeLessThan(share(plain) * 0.8);
    // exposed EP time falls by more than TPOT grows: the overlap hides communication, the halves cost compute
    const epTime = (r: typeof plain) => r.tpotS.p50 * share(r);
    expect(epTime(plain) - epTime(tbo)).toBeGreaterThan(0);
    expect(tbo.tpotS.p50).toBeGreaterThan(plain.tpotS.p50 * (1 - share(plain)));
  });
});

// DeepSeek-V3 in FP8 with EP 16 on 4 × 8 H200 (scenarios.ts), the same pool with and without the overlap.
function costs(role: 0 | 1, kernels: "nccl" | "deepep"): { plain: StepCost; tbo: StepCost } {
  const pool = (overlap: string) => `, overlap: ${overlap}, epKernels: ${kernels}`;
  const of = (overlap: string) =>
    stepCostOf(load(deepSeekEp16({ prefillExtra: pool(overlap), decodeExtra: pool(overlap) })), role);
  return { plain: of("none"), tbo: of("two-batch") };
}

/** The busiest of dp replicas when T tokens are spread over them: decode tokens, or one prompt's chunk. */
function busiest(role: 0 | 1, T: number, dp: number): ReplicaLoad {
  const t = Math.ceil(T / dp);
  const r = makeReplicaLoad();
  r.tokens = t;
  if (role === 1) {
    r.seqs = t;
    r.decodePairs = r.kvTokens = t * 2048; // 2,048 tokens of context each
  } else {
    r.seqs = 1;
    r.prefillPairs = (t * (t + 1)) / 2;
    r.kvTokens = t;
  }
  return r;
}

const parts = (): StepBreakdown => ({ compute: 0, tp: 0, ep: 0 });

describe("two-batch overlap: a step splits into two whole micro-batches", () => {
  for (const role of [0, 1] as const) {
    for (const kernels of ["nccl", "deepep"] as const) {
      it(`${role ? "decode" : "prefill"}, ${kernels}: non-decreasing in the batch, between max(compute, communication) and the plain step plus the split's cost`, () => {
        const { plain, tbo } = costs(role, kernels);
        const layers = moeLayerCount(plain.model);
        const dp = plain.pool.dp;
        let previous = 0;
        for (let T = 1; T <= 3000; T++) {
          const load = busiest(role, T, dp);
          const p = parts();
          const o = parts();
          const tPlain = stepTime(plain, T, load, p);
          const tTbo = stepTime(tbo, T, load, o);
          expect(tTbo, `T ${T}`).toBeGreaterThanOrEqual(previous);
          // no overlap can beat the whole batch's compute or its communication
          expect(tTbo, `T ${T}`).toBeGreaterThanOrEqual(Math.max(p.compute, p.tp + p.ep) * (1 - 1e-12));
          // the split costs its second weight read (o.compute − p.compute) and at most one MoE layer exposed
          expect(tTbo, `T ${T}`).toBeLessThanOrEqual(tPlain + (o.compute - p.compute) + tPlain / layers);
          previous = tTbo;
        }
      });
    }
  }

  it("an odd batch is ⌈n/2⌉ and ⌊n/2⌋: never faster than the plain steps of both micro-batches back to back allow", () => {
    const { plain, tbo } = costs(1, "nccl");
    const dp = plain.pool.dp;
    for (const T of [17, 31, 33, 63, 65, 255, 257]) {
      const whole = busiest(1, T, dp);
      const a = busiest(1, Math.ceil(T / 2), dp);
      const b = busiest(1, Math.floor(T / 2), dp);
      const sequential = stepTime(plain, Math.ceil(T / 2), a) + stepTime(plain, Math.floor(T / 2), b);
      expect(stepTime(tbo, T, whole), `T ${T}`).toBeLessThanOrEqual(sequential);
    }
  });

  it("TPOT never falls as requests are added (31, 32, 33 arriving at once, two-batch overlap)", () => {
    const tpot = (count: number) => {
      const s = load(deepSeekEp16({ count, decodeExtra: ", overlap: two-batch" }));
      return simulateInference(s, depsFor(s)).results.tpotS.p50;
    };
    const [a, b, c] = [31, 32, 33].map(tpot);
    console.table([{ n31: a, n32: b, n33: c }]);
    expect(b).toBeGreaterThanOrEqual(a);
    expect(c).toBeGreaterThanOrEqual(b);
  });
});
