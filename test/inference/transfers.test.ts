// The incremental transfer model against the flow engine: same flows, same routes, same finish times.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { flowEngine } from "../../src/sim/engines/flow/engine.js";
import { makeFlowSet } from "../../src/sim/flows.js";
import { addFlow, makeTransferNet, popCompleted, settle } from "../../src/workload/inference/transfers.js";
import { servingScenario } from "./scenarios.js";
import { depsFor, load } from "./setup.js";

function incrementalFinish(
  deps: ReturnType<typeof depsFor>,
  flows: ReturnType<typeof makeFlowSet>,
  loadBalancing: "ecmp" | "spray",
  share = true,
  caps?: Float64Array,
): Float64Array {
  const net = makeTransferNet(deps.fabric, deps.router, { loadBalancing, seed: 3, share });
  const finish = new Float64Array(flows.count).fill(Number.NaN);
  const owners = new Int32Array(64);
  const lands = new Float64Array(64);
  let now = 0;
  let i = 0;
  for (;;) {
    if (net.dirty) settle(net, now);
    const tStart = i < flows.count ? flows.start[i] : Number.POSITIVE_INFINITY;
    if (tStart === Number.POSITIVE_INFINITY && net.nextTime === Number.POSITIVE_INFINITY) break;
    if (net.nextTime <= tStart) {
      now = net.nextTime;
      const k = popCompleted(net, now, owners, lands);
      for (let j = 0; j < k; j++) finish[owners[j]] = lands[j];
    } else {
      now = tStart;
      addFlow(
        net,
        now,
        flows.src[i],
        flows.dst[i],
        flows.bytes[i],
        caps ? caps[i] : Number.POSITIVE_INFINITY,
        i,
      );
      i++;
    }
  }
  return finish;
}

describe("incremental KV transfer model", () => {
  const scenario = load(servingScenario({ nodes: 4, nic: "200Gbps" }));
  const deps = depsFor(scenario);
  const accs = deps.fabric.accelerators;

  it("finishes every flow when the flow engine does (random flows, starts and sizes; 1e-9 relative)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            src: fc.integer({ min: 0, max: accs.count - 1 }),
            dst: fc.integer({ min: 0, max: accs.count - 1 }),
            mb: fc.integer({ min: 1, max: 400 }),
            startMs: fc.integer({ min: 0, max: 20 }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.constantFrom("ecmp" as const, "spray" as const),
        (raw, lb) => {
          const sorted = [...raw].sort((a, b) => a.startMs - b.startMs);
          const flows = makeFlowSet(sorted.length);
          sorted.forEach((f, k) => {
            flows.src[k] = accs.node[f.src];
            flows.dst[k] = accs.node[f.dst === f.src ? (f.dst + 1) % accs.count : f.dst];
            flows.bytes[k] = f.mb * 1e6;
            flows.start[k] = f.startMs * 1e-3;
          });
          const want = flowEngine(deps.fabric, deps.router, flows, { loadBalancing: lb, seed: 3 }).finish;
          const got = incrementalFinish(deps, flows, lb);
          for (let k = 0; k < flows.count; k++)
            expect(Math.abs(got[k] - want[k]) / want[k]).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("holds a capped flow to its cap and lets others take the rest of the link", () => {
    const flows = makeFlowSet(2);
    // two flows out of the same accelerator's NIC (200 Gb/s = 25 GB/s), one capped at 5 GB/s
    for (let k = 0; k < 2; k++) {
      flows.src[k] = accs.node[0];
      flows.dst[k] = accs.node[16 + k * 8];
      flows.bytes[k] = 1e9;
    }
    const caps = Float64Array.from([5e9, Number.POSITIVE_INFINITY]);
    const got = incrementalFinish(deps, flows, "ecmp", true, caps);
    console.log(`capped ${got[0].toFixed(4)} s (want 0.2), free ${got[1].toFixed(4)} s (want 0.05)`);
    expect(got[0]).toBeCloseTo(0.2, 4);
    expect(got[1]).toBeCloseTo(1e9 / 20e9, 4);
  });

  it("without sharing, every flow runs at its own bottleneck (analytical fidelity)", () => {
    const flows = makeFlowSet(3);
    // three flows out of accelerator 0's NIC to accelerators on its rail in three other nodes
    for (let k = 0; k < 3; k++) {
      flows.src[k] = accs.node[0];
      flows.dst[k] = accs.node[8 * (k + 1)];
      flows.bytes[k] = 1e9;
    }
    const alone = incrementalFinish(deps, flows, "ecmp", false);
    const shared = incrementalFinish(deps, flows, "ecmp", true);
    for (let k = 0; k < 3; k++) expect(alone[k]).toBeCloseTo(0.04, 4);
    expect(Math.max(...shared)).toBeGreaterThan(2.9 * 0.04);
  });
});
