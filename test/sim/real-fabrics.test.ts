/**
 * The flow engine on fabrics from the topology builders and routes from the router: what a fat-tree's
 * design promises (non-blocking, oversubscribed) must show in the flow finishes.
 */
import { describe, expect, it } from "vitest";
import { makeRouter } from "../../src/routing/index.js";
import { analyticalEngine } from "../../src/sim/engines/analytical.js";
import { runFlowEngine } from "../../src/sim/engines/flow/engine.js";
import type { EngineOptions } from "../../src/sim/engines/types.js";
import { type FlowSet, makeFlowSet } from "../../src/sim/flows.js";
import { tierUsage } from "../../src/sim/link-usage.js";
import { buildFabric } from "../../src/topology/build.js";
import type { Fabric } from "../../src/topology/fabric.js";
import { hostFatTree, PORT, railOptimized } from "./helpers/clusters.js";

const BYTES = 2e6;

function run(fabric: Fabric, flows: FlowSet, loadBalancing: EngineOptions["loadBalancing"]) {
  const router = makeRouter(fabric, { loadBalancing, railAware: false, seed: 5 });
  return runFlowEngine(fabric, router, flows, { loadBalancing, seed: 5, linkBytes: true });
}

/** Host i sends to host perm[i]. */
function flowsOf(fabric: Fabric, perm: (i: number, n: number) => number): FlowSet {
  const hosts = fabric.groups[0].endpoints;
  const flows = makeFlowSet(hosts.length);
  for (let i = 0; i < hosts.length; i++) {
    flows.src[i] = hosts[i];
    flows.dst[i] = hosts[perm(i, hosts.length)];
    flows.bytes[i] = BYTES;
  }
  return flows;
}

/** A fixed pseudo-random single cycle (Sattolo), so no host sends to itself. */
function randomCycle(n: number, seed: number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % i;
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Worst relative gap between each flow's finish and start + latency + bytes / rate. */
function worstGap(r: ReturnType<typeof run>, flows: FlowSet, rate: number): number {
  let worst = 0;
  for (let f = 0; f < flows.count; f++) {
    const expected = flows.start[f] + r.routes.latency[f] + flows.bytes[f] / rate;
    worst = Math.max(worst, Math.abs(r.finish[f] - expected) / expected);
  }
  return worst;
}

describe("flow engine on built fat-trees", () => {
  // 512 hosts on a 3-tier fat-tree of 16-port switches (k = 16: 1,024 host ports, non-blocking).
  const fabric = buildFabric(hostFatTree(512, 16, 3));
  const cycle = randomCycle(512, 11);
  const perm = flowsOf(fabric, (i) => cycle[i]);

  it("a permutation with spraying reaches line rate on a non-blocking fat-tree", () => {
    expect(fabric.tiers).toBe(3);
    const r = run(fabric, perm, "spray");
    const gap = worstGap(r, perm, PORT);
    console.log(`spray permutation: worst gap to bytes/NIC + latency = ${(gap * 100).toExponential(2)}%`);
    expect(gap).toBeLessThanOrEqual(0.01);
  });

  it("the same permutation with ECMP collides: some flows are slower", () => {
    const spray = run(fabric, perm, "spray");
    const ecmp = run(fabric, perm, "ecmp");
    let slowed = 0;
    for (let f = 0; f < perm.count; f++) if (ecmp.finish[f] > spray.finish[f] * 1.01) slowed++;
    console.log(
      `ECMP permutation: ${slowed}/${perm.count} flows slower than line rate; makespan ${(ecmp.makespan * 1e6).toFixed(1)} us vs ${(spray.makespan * 1e6).toFixed(1)} us sprayed`,
    );
    expect(slowed).toBeGreaterThan(0);
    expect(ecmp.makespan).toBeGreaterThan(1.5 * spray.makespan);
    // Never faster than sprayed line rate (ECMP can only collide).
    for (let f = 0; f < perm.count; f++)
      expect(ecmp.finish[f]).toBeGreaterThanOrEqual(spray.finish[f] * (1 - 1e-9));
  });

  it("a 4:1 oversubscribed leaf gives a quarter of line rate to all-cross-leaf traffic", () => {
    // 40-port switches at 4:1: 32 hosts down, 8 up per leaf; every host sends to the next leaf.
    const over = buildFabric(hostFatTree(128, 40, 2, { oversubscription: { leaf: 4, spine: 1 } }));
    const hostsPerLeaf = 32;
    const shift = flowsOf(over, (i, n) => (i + hostsPerLeaf) % n);
    const r = run(over, shift, "spray");
    const gap = worstGap(r, shift, PORT / 4);
    console.log(
      `4:1 leaf, all cross-leaf: worst gap to bytes/(NIC/4) + latency = ${(gap * 100).toExponential(2)}%`,
    );
    expect(gap).toBeLessThanOrEqual(0.01);
    // Throughput per flow never above line rate, and the uplinks are what limits it.
    for (let f = 0; f < shift.count; f++) {
      const transfer = r.finish[f] - r.routes.latency[f];
      expect(shift.bytes[f] / transfer).toBeLessThanOrEqual(PORT * (1 + 1e-9));
    }
  });
});

describe("ring all-reduce step on a built rail-optimized fabric", () => {
  // 128 servers × 8 = 1,024 accelerators on 32-port switches: more ports than 2 tiers hold (512), so 3 tiers.
  const fabric = buildFabric(railOptimized(128, 32));
  const acc = fabric.accelerators;
  const n = acc.count;
  const flows = makeFlowSet(n);
  for (let i = 0; i < n; i++) {
    flows.src[i] = acc.node[i];
    flows.dst[i] = acc.node[(i + 1) % n];
    flows.bytes[i] = 2 ** 30 / n;
  }

  it("with rail-aware routing no hop contends: flow engine = analytical within 2%", () => {
    const router = makeRouter(fabric, { loadBalancing: "ecmp", railAware: true, seed: 1 });
    const options: EngineOptions = { loadBalancing: "ecmp", seed: 1 };
    const a = analyticalEngine(fabric, router, flows, options);
    const f = runFlowEngine(fabric, router, flows, options);
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(f.finish[i] - a.finish[i]) / a.finish[i]);
    console.log(
      `rail-aware ring step, ${n} accelerators, ${fabric.tiers} tiers: worst flow-vs-analytical gap ${(worst * 100).toFixed(3)}%`,
    );
    expect(fabric.tiers).toBe(3);
    expect(worst).toBeLessThanOrEqual(0.02);
    // The step is bound by the 400 Gb/s NIC hop: busbw-style rate S/n / transfer time never above it.
    for (let i = 0; i < n; i++) {
      const transfer = f.finish[i] - f.routes.latency[i];
      expect(flows.bytes[i] / transfer).toBeLessThanOrEqual(Math.max(PORT, 450e9) * (1 + 1e-9));
    }
    expect(f.makespan).toBeGreaterThanOrEqual(flows.bytes[0] / PORT);
  });

  it("without it, cross-rail hops share spine links under ECMP: the flow engine is slower than analytical", () => {
    const router = makeRouter(fabric, { loadBalancing: "ecmp", railAware: false, seed: 1 });
    const options: EngineOptions = { loadBalancing: "ecmp", seed: 1 };
    const a = analyticalEngine(fabric, router, flows, options);
    const f = runFlowEngine(fabric, router, flows, options);
    console.log(
      `no rail awareness: step ${(f.makespan * 1e6).toFixed(1)} us (flow) vs ${(a.makespan * 1e6).toFixed(1)} us (analytical)`,
    );
    // Fixed seed: the hash collisions it gives cost well over 20% on the step.
    expect(f.makespan).toBeGreaterThan(a.makespan * 1.2);
  });
});

describe("link usage by tier", () => {
  it("names the oversubscribed leaf uplinks as the busiest links when all traffic crosses leaves", () => {
    const over = buildFabric(hostFatTree(128, 40, 2, { oversubscription: { leaf: 4, spine: 1 } }));
    const shift = flowsOf(over, (i, n) => (i + 32) % n);
    const r = run(over, shift, "spray");
    const usage = tierUsage(over, r.linkBytes!, r.makespan);
    console.table(usage);
    const byTier = Object.fromEntries(usage.map((u) => [u.tier, u]));
    // Each leaf's 8 uplinks carry its 32 hosts' bytes: 4 × 2 MB each, busy all but the latency of the run.
    expect(byTier.spine.maxUtilization).toBeGreaterThan(0.95);
    expect(byTier.spine.maxUtilization).toBeLessThanOrEqual(1);
    expect(over.links.up[byTier.spine.busiestLink]).toBe(1);
    // Host links run at a quarter of their rate.
    expect(byTier.leaf.maxUtilization).toBeCloseTo(byTier.spine.maxUtilization / 4, 6);
    expect(byTier.leaf.bytes).toBe(2 * 128 * BYTES);
  });
});
