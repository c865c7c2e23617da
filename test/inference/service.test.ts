// An inference service on a given clock and network (as a job runs it): started later it gives what it
// gives alone, it stays inside the accelerators it is given, and two services share one clock and network.
import { describe, expect, it } from "vitest";
import { WeftError } from "../../src/errors.js";
import type { InferenceWorkload, Scenario } from "../../src/scenario/types.js";
import { makeClock, runClock } from "../../src/sim/clock.js";
import { makeFluidNetwork } from "../../src/sim/network/fluid.js";
import {
  type InferenceServiceOptions,
  simulateInference,
  startInferenceService,
} from "../../src/workload/inference/run.js";
import { type ServingKnobs, servingScenario } from "./scenarios.js";
import { depsFor, load } from "./setup.js";

function workloadOf(s: Scenario): InferenceWorkload {
  if (s.workload.kind !== "inference") throw new Error("inference expected");
  return s.workload;
}

/** Services of `scenario`'s workload on one clock and flow-fidelity network, one tag each. */
function onOneClock(scenario: Scenario, options: InferenceServiceOptions[]) {
  const deps = depsFor(scenario);
  const clock = makeClock();
  const net = makeFluidNetwork(clock, deps.fabric, deps.router, {
    fidelity: "flow",
    loadBalancing: scenario.cluster.transport.loadBalancing,
    seed: scenario.simulation.seed,
    tags: options.length,
  });
  const services = options.map((o, tag) =>
    startInferenceService(clock, net, tag, scenario, workloadOf(scenario), deps, o),
  );
  runClock(clock);
  return { net, services };
}

const close = (a: number, b: number, rel = 1e-9) => Math.abs(a - b) <= rel * Math.max(Math.abs(b), 1e-12);

describe("an inference service on a shared clock and network", () => {
  const knobs: ServingKnobs = {
    rate: "20/s",
    count: 120,
    prompt: "{ dist: lognormal, mean: 3000, sigma: 0.5 }",
    output: 64,
    nic: "100Gbps",
    transfer: "layerwise",
    prefillInstances: 2,
    decodeInstances: 2,
  };

  it("started at 5 s, gives the TTFT, TPOT and throughput it gives alone (times from its start)", () => {
    const s = load(servingScenario(knobs));
    const alone = simulateInference(s, depsFor(s));
    const { services } = onOneClock(s, [{ startS: 5 }]);
    const [service] = services;
    expect(service.done.fired).toBe(true);
    const later = service.finish();
    expect(service.finish()).toBe(later);
    const a = alone.results;
    const b = later.results;
    expect(b.completed).toBe(a.completed);
    for (const key of ["ttftS", "tpotS", "e2eS", "queueS", "kvTransferS"] as const) {
      const [x, y] = [a[key], b[key]];
      if (!x || !y) throw new Error(`${key} missing`);
      expect(close(y.p50, x.p50, 1e-6)).toBe(true);
      expect(close(y.p99, x.p99, 1e-6)).toBe(true);
    }
    expect(close(b.throughputTokensPerS, a.throughputTokensPerS, 1e-6)).toBe(true);
    expect(close(b.makespanS ?? 0, a.makespanS ?? 0, 1e-6)).toBe(true);
    expect(b.transferBytesByTier).toEqual(a.transferBytesByTier);
    expect(b.kvBytesMoved).toBe(a.kvBytesMoved);
    // done fires when the last request finished, on the clock
    expect(close(service.done.time, 5 + Math.max(...later.sim.tDone), 1e-12)).toBe(true);
    for (let r = 0; r < later.records.count; r++)
      expect(later.records.arrival[r]).toBe(alone.records.arrival[r]);
  });

  // one group of 4 nodes (h100, ranks 0..31), one prefill and one decode instance of 8 each
  const small: ServingKnobs = {
    ...knobs,
    rate: "8/s",
    nodes: 4,
    decodeGroup: "h100",
    prefillInstances: 1,
    decodeInstances: 1,
  };

  it("places its pools inside the accelerators it is given", () => {
    // the service gets nodes 2 and 3 (ranks 16..31): prefill on 16..23, decode on 24..31
    const s = load(servingScenario(small));
    const ranks = Array.from({ length: 16 }, (_, i) => 16 + i);
    const { services } = onOneClock(s, [{ ranks }]);
    const run = services[0].finish();
    expect(Array.from(run.pools[0].instanceFirst)).toEqual([16]);
    expect(Array.from(run.pools[1].instanceFirst)).toEqual([24]);
    expect(run.results.completed).toBe(120);
    for (const p of run.pools) {
      for (const first of p.instanceFirst) {
        expect(first).toBeGreaterThanOrEqual(16);
        expect(first + p.perInstance).toBeLessThanOrEqual(32);
      }
    }
  });

  it("refuses accelerators that do not hold its pools, naming the job's accelerators", () => {
    const s = load(servingScenario(small));
    const start = (ranks: number[]) => () => onOneClock(s, [{ ranks }]);
    expect(start(Array.from({ length: 8 }, (_, i) => 8 + i))).toThrow(WeftError);
    expect(start(Array.from({ length: 8 }, (_, i) => 8 + i))).toThrow(
      'inference decode: 1 instance(s) × tp 8 × dp 1 = 8 accelerators do not fit in the job\'s 8 accelerators (ranks 8..15 of group "h100") (8 already taken by the prefill pool)',
    );
    expect(start([0, 1, 2, 4])).toThrow(/consecutive ranks/);
    // decode on h200 cannot be placed on accelerators of h100
    const split = load(servingScenario({ ...small, decodeGroup: "h200" }));
    expect(() => onOneClock(split, [{ ranks: Array.from({ length: 32 }, (_, i) => i) }])).toThrow(
      /inference decode: group "h200" is outside the job's accelerators, which are in group "h100"/,
    );
  });

  it("two services on one clock and network: each finishes, each tag counts its own transfers", () => {
    const s = load(servingScenario(small));
    const half = (k: number) => Array.from({ length: 16 }, (_, i) => 16 * k + i);
    const { net, services } = onOneClock(s, [{ ranks: half(0) }, { ranks: half(1), startS: 0.25 }]);
    const [a, b] = services.map((x) => x.finish());
    expect(a.results.completed).toBe(120);
    expect(b.results.completed).toBe(120);
    expect(services[1].done.time).toBeGreaterThan(services[0].done.time);
    for (const [tag, run] of [a, b].entries()) {
      const moved = run.results.kvBytesMoved ?? 0;
      expect(Math.abs(net.deliveredBytes(tag) - moved)).toBeLessThanOrEqual(1e-9 * moved);
    }
  });
});
