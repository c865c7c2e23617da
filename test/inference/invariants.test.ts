// Invariants of the serving simulation over random configurations: every request finishes, times are
// ordered, and every token of KV reserved is released by the end.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { simulateInference } from "../../src/workload/inference/run.js";
import { servingScenario } from "./scenarios.js";
import { depsFor, load } from "./setup.js";

const CXL =
  "    - { name: cxl, kind: memory, nodes: 1, capacity: 1TB, nics: { count: 2, bandwidth: 400Gbps } }\n";

describe("serving invariants", () => {
  it("finishes every request, orders its times and releases all KV memory", () => {
    fc.assert(
      fc.property(
        fc.record({
          colocated: fc.boolean(),
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
        }),
        (k) => {
          const s = load(
            servingScenario({
              decodeGroup: k.colocated ? null : "h100",
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
              ...(k.offload ? { offload: "cxl" } : {}),
            }),
          );
          let run: ReturnType<typeof simulateInference>;
          try {
            run = simulateInference(s, depsFor(s));
          } catch (e) {
            // a request too long for a tp-2 decode cache is refused up front, by design
            expect(String(e)).toMatch(/tokens of KV cache/);
            return;
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
            expect(inst.used[i]).toBe(0);
            expect(inst.runCount[i]).toBe(0);
            expect(inst.assigned[i]).toBe(0);
            expect(Math.abs(inst.ctxSum[i])).toBe(0);
          }
          for (let i = 0; i < sim.prefill.pool.instances; i++) expect(sim.prefill.load[i]).toBe(0);
          expect(sim.offload?.usedBytes ?? 0).toBe(0);
          expect(sim.net.activeCount).toBe(0);
          if (!k.offload) expect(results.offloadBytesMoved).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });
});
