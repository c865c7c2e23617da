// Invariants of the serving simulation over random configurations: every request finishes, times are
// ordered, the KV cache never holds more than its capacity, and every token of KV reserved is released by
// the end.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { simulateInference } from "../../src/workload/inference/run.js";
import { checkAllFinished } from "../../src/workload/inference/serve.js";
import { RS } from "../../src/workload/inference/serve-state.js";
import { servingScenario } from "./scenarios.js";
import { depsFor, load } from "./setup.js";

const CXL =
  "    - { name: cxl, kind: memory, nodes: 1, capacity: 1TB, nics: { count: 2, bandwidth: 400Gbps } }\n";

interface Knobs {
  colocated: boolean;
  /** Tensor parallelism of the prefill (or co-located) instances; 2 makes co-located caches small. */
  prefillTp?: number;
  decodeTp: number;
  rate: number;
  count: number;
  promptMean: number;
  outputMax: number;
  transfer: "whole" | "layerwise";
  prefixHitRate: number;
  offload: boolean;
  maxBatch: number;
  seed: number;
  /** Attention replicas of the instances that hold the KV (decode, or co-located), and of prefill. */
  dp?: number;
}

function simulate(k: Knobs) {
  const dp = k.dp ?? 1;
  const s = load(
    servingScenario({
      decodeGroup: k.colocated ? null : "h100",
      prefillTp: k.prefillTp ?? 8,
      decodeTp: k.decodeTp,
      rate: `${k.rate}/s`,
      count: k.count,
      prompt: `{ dist: lognormal, mean: ${k.promptMean}, sigma: 0.3 }`,
      output: `{ dist: uniform, min: 1, max: ${k.outputMax} }`,
      transfer: k.transfer,
      prefixHitRate: k.prefixHitRate,
      maxBatch: k.maxBatch,
      seed: k.seed,
      extraGroups: CXL,
      ...replicaKnobs(k, dp),
      ...(k.offload ? { offload: "cxl" } : {}),
    }),
  );
  return simulateInference(s, depsFor(s));
}

/** dp on the pool that holds the KV, and on the prefill pool, where they still fit the 16 H100. */
function replicaKnobs(k: Knobs, dp: number) {
  if (dp === 1) return {};
  if (k.colocated) return { prefillExtra: `, dp: ${dp}` };
  const prefillTp = k.prefillTp ?? 8;
  const decodeDp = prefillTp + k.decodeTp * dp <= 16 ? dp : 1;
  const prefillDp = prefillTp * dp + k.decodeTp * decodeDp <= 16 ? dp : 1;
  return {
    ...(decodeDp > 1 ? { decodeExtra: `, dp: ${dp}` } : {}),
    ...(prefillDp > 1 ? { prefillExtra: `, dp: ${dp}` } : {}),
  };
}

/** Runs k and checks every invariant; undefined when the configuration is refused up front, by design. */
function checkInvariants(k: Knobs): ReturnType<typeof simulateInference> | undefined {
  let run: ReturnType<typeof simulateInference>;
  try {
    run = simulate(k);
  } catch (e) {
    // a request too long for a tp-2 cache is refused up front, by design
    expect(String(e)).toMatch(/tokens of KV cache/);
    return undefined;
  }
  const { sim, records: rec, results } = run;
  expect(results.completed).toBe(k.count);
  for (let r = 0; r < rec.count; r++) {
    expect(rec.queueS[r]).toBeGreaterThanOrEqual(0);
    expect(rec.ttftS[r]).toBeGreaterThan(rec.queueS[r]);
    expect(rec.e2eS[r]).toBeGreaterThanOrEqual(rec.ttftS[r]);
    expect(rec.tpotS[r]).toBeGreaterThanOrEqual(0);
    expect(sim.generated[r]).toBe(rec.output[r]);
  }
  const inst = sim.inst;
  for (let i = 0; i < inst.pool.instances; i++) {
    expect(inst.runCount[i]).toBe(0);
    expect(inst.assigned[i]).toBe(0);
    expect(Math.abs(inst.ctxSum[i])).toBe(0);
  }
  // memory is per attention replica: each holds its own requests' KV
  const share = inst.pool.kvCapacityTokens / inst.pool.dp;
  for (let q = 0; q < inst.pool.instances * inst.pool.dp; q++) {
    expect(inst.peakUsed[q]).toBeLessThanOrEqual(share);
    expect(inst.used[q]).toBe(0);
    expect(inst.repAssigned[q]).toBe(0);
    expect(inst.repRun[q]).toBe(0);
  }
  for (let i = 0; i < sim.prefill.pool.instances; i++) expect(sim.prefill.load[i]).toBe(0);
  for (const queued of sim.prefill.repQueued) expect(queued).toBe(0);
  expect(sim.offload?.usedBytes ?? 0).toBe(0);
  // every transfer's flows were delivered: the network carried exactly the bytes the service moved
  const moved = (results.kvBytesMoved ?? 0) + (results.offloadBytesMoved ?? 0);
  expect(Math.abs(sim.net.deliveredBytes(sim.tag) - moved)).toBeLessThanOrEqual(1e-9 * moved);
  if (!k.offload) expect(results.offloadBytesMoved).toBe(0);
  return run;
}

describe("serving invariants", () => {
  it("finishes every request, orders its times and releases all KV memory", () => {
    fc.assert(
      fc.property(
        fc.record({
          colocated: fc.boolean(),
          prefillTp: fc.constantFrom(2, 8, 8),
          decodeTp: fc.constantFrom(2, 2, 4, 8),
          rate: fc.integer({ min: 1, max: 60 }),
          count: fc.integer({ min: 1, max: 60 }),
          promptMean: fc.integer({ min: 1, max: 2000 }),
          outputMax: fc.constantFrom(1, 50, 400, 3000),
          transfer: fc.constantFrom("whole" as const, "layerwise" as const),
          prefixHitRate: fc.constantFrom(0, 0.3),
          offload: fc.boolean(),
          maxBatch: fc.integer({ min: 1, max: 64 }),
          seed: fc.integer({ min: 0, max: 1000 }),
          dp: fc.constantFrom(1, 1, 2),
        }),
        (k) => {
          checkInvariants(k);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("refills a decode batch whose only sequence was preempted (maxBatch 1, fast-check seed 1311055190)", () => {
    // Decode tp 2 holds 8,827 tokens. With one batch slot, the KV of five later requests lands and waits
    // while request 0 (664 + 2,587 tokens) decodes; its growth no longer fits, so it is preempted. The
    // step used to end there with five sequences ready and no event left: 0 of 6 completed.
    const run = checkInvariants({
      colocated: false,
      decodeTp: 2,
      rate: 1,
      count: 6,
      promptMean: 1097,
      outputMax: 3000,
      transfer: "whole",
      prefixHitRate: 0,
      offload: false,
      maxBatch: 1,
      seed: 0,
    });
    if (!run) throw new Error("this configuration fits: it must run");
    expect(run.pools[1].kvCapacityTokens).toBe(8827);
    expect(run.results.completed).toBe(6);
    expect(run.results.recomputes).toBeGreaterThan(0); // the preemption path is what this case exercises
    expect(run.results.warnings.join(" ")).toMatch(/recomputed a sequence/);
  });

  it("refuses to return results with a request left unfinished, naming where it is stuck", () => {
    const { sim } = simulate({
      colocated: false,
      decodeTp: 2,
      rate: 1,
      count: 2,
      promptMean: 500,
      outputMax: 50,
      transfer: "whole",
      prefixHitRate: 0,
      offload: false,
      maxBatch: 1,
      seed: 0,
    });
    expect(() => checkAllFinished(sim)).not.toThrow();
    sim.state[1] = RS.ready; // as if its KV had landed and it never got a batch slot
    sim.decodeInst[1] = 0;
    expect(() => checkAllFinished(sim)).toThrow(
      /1 of 2 requests unfinished; request 1 .* is holding its KV, waiting for a batch slot on decode instance 0 \([\d,]+ of 8,827 KV tokens in use, 0 of 1 batch slots running\)/,
    );
  });
});
