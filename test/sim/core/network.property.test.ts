// The network on the shared clock gives what the batch engines give for the same flows, conserves bytes,
// and applies capacity changes at their time.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { callAt, makeClock, runClock } from "../../../src/sim/clock.js";
import { analyticalEngine } from "../../../src/sim/engines/analytical.js";
import { runFlowEngine } from "../../../src/sim/engines/flow/engine.js";
import type { EngineOptions } from "../../../src/sim/engines/types.js";
import { wireModelFor } from "../../../src/sim/engines/wire.js";
import type { FlowSet } from "../../../src/sim/flows.js";
import { makeFluidNetwork } from "../../../src/sim/network/fluid.js";
import { transfer } from "../../../src/sim/network/transfer.js";
import { makeFlowGroup, type Network } from "../../../src/sim/network/types.js";
import { flowSetOf } from "../helpers/flows.js";
import { leafSpine } from "../helpers/leaf-spine.js";

const scenario = fc
  .record({
    leaves: fc.integer({ min: 1, max: 4 }),
    hostsPerLeaf: fc.integer({ min: 1, max: 4 }),
    spines: fc.integer({ min: 1, max: 3 }),
    latency: fc.constantFrom(0, 1e-6),
    loadBalancing: fc.constantFrom("ecmp", "spray") as fc.Arbitrary<EngineOptions["loadBalancing"]>,
    seed: fc.integer({ min: 0, max: 1000 }),
    staggered: fc.boolean(),
  })
  .chain((shape) => {
    const hosts = shape.leaves * shape.hostsPerLeaf;
    const flow = fc.record({
      src: fc.integer({ min: 0, max: hosts - 1 }),
      dst: fc.integer({ min: 0, max: hosts - 1 }),
      bytes: fc.integer({ min: 0, max: 1000 }).map((k) => k * 1e4),
      start: shape.staggered ? fc.integer({ min: 0, max: 20 }).map((k) => k * 1e-4) : fc.constant(0),
      klass: fc.constant(undefined),
      tag: fc.integer({ min: 0, max: 2 }),
    });
    return fc.record({ shape: fc.constant(shape), flows: fc.array(flow, { minLength: 1, maxLength: 24 }) });
  });

type Case = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function onNetwork(c: Case, fidelity: "analytical" | "flow", sharing?: "max-min" | "by-path") {
  const ls = leafSpine({ ...c.shape, hostBandwidth: 1e9, uplinkBandwidth: 5e8 });
  const flows = flowSetOf(c.flows);
  const clock = makeClock();
  const net = makeFluidNetwork(clock, ls.fabric, ls.router, {
    fidelity,
    loadBalancing: c.shape.loadBalancing,
    seed: c.shape.seed,
    tags: 3,
    ...(sharing ? { wire: wireOf(ls, sharing) } : {}),
  });
  const ids = startAll(
    net,
    flows,
    c.flows.map((f) => f.tag),
  );
  runClock(clock);
  return { ls, flows, net, finish: ids.map((f) => net.finishOf(f)) };
}

/** Each flow at its start, with its own tag and its index as hash key (as the batch engines hash). */
function startAll(net: Network, flows: FlowSet, tags: number[]): number[] {
  const ids: number[] = new Array(flows.count);
  const group = makeFlowGroup();
  for (let f = 0; f < flows.count; f++) {
    callAt(net.clock, flows.start[f], () => {
      ids[f] = net.startFlow(flows.src[f], flows.dst[f], flows.bytes[f], tags[f], f, group);
    });
  }
  return ids;
}

/** NSCC with trimming over 4 kB packets: window caps on contended links, headers, the ack's return. */
function wireOf(ls: ReturnType<typeof leafSpine>, sharing: "max-min" | "by-path" = "max-min") {
  const nscc = { mtu: 4150, congestionControl: "nscc", trimming: true } as const;
  return wireModelFor(nscc, ls.fabric, ls.router, true, sharing);
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1e-9, Math.abs(b));

describe("network on the shared clock (random leaf-spine fabrics)", () => {
  it("flow fidelity: every flow finishes when the batch flow engine says", () => {
    fc.assert(
      fc.property(scenario, (c) => {
        const { ls, flows, finish } = onNetwork(c, "flow");
        const batch = runFlowEngine(ls.fabric, ls.router, flows, {
          loadBalancing: c.shape.loadBalancing,
          seed: c.shape.seed,
        });
        for (let f = 0; f < flows.count; f++) expect(close(finish[f], batch.finish[f])).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  for (const sharing of ["max-min", "by-path"] as const) {
    it(`flow fidelity with NSCC's wire model, sharing ${sharing}: every flow finishes when the batch flow engine says`, () => {
      // Two implementations of the window cap and of the sharing (the batch engine's refills and skips, the
      // network's own fill).
      fc.assert(
        fc.property(scenario, (c) => {
          fc.pre(c.shape.leaves * c.shape.hostsPerLeaf >= 2); // the wire model scales from a route
          const { ls, flows, finish } = onNetwork(c, "flow", sharing);
          const batch = runFlowEngine(ls.fabric, ls.router, flows, {
            loadBalancing: c.shape.loadBalancing,
            seed: c.shape.seed,
            wire: wireOf(ls, sharing),
          });
          for (let f = 0; f < flows.count; f++) expect(close(finish[f], batch.finish[f])).toBe(true);
        }),
        { numRuns: 300 },
      );
    });
  }

  it("analytical fidelity: every flow finishes when the analytical engine says", () => {
    fc.assert(
      fc.property(scenario, (c) => {
        const { ls, flows, finish } = onNetwork(c, "analytical");
        const batch = analyticalEngine(ls.fabric, ls.router, flows, {
          loadBalancing: c.shape.loadBalancing,
          seed: c.shape.seed,
        });
        for (let f = 0; f < flows.count; f++) expect(close(finish[f], batch.finish[f])).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("conserves bytes per tag, and the same input gives identical finishes", () => {
    fc.assert(
      fc.property(scenario, (c) => {
        const a = onNetwork(c, "flow");
        const b = onNetwork(c, "flow");
        expect(a.finish).toEqual(b.finish);
        for (let t = 0; t < 3; t++) {
          const sent = c.flows.filter((f) => f.tag === t).reduce((s, f) => s + f.bytes, 0);
          expect(a.net.deliveredBytes(t)).toBe(sent);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("capacity over time", () => {
  const ls = () =>
    leafSpine({
      leaves: 2,
      hostsPerLeaf: 1,
      spines: 1,
      latency: 0,
      hostBandwidth: 1e9,
      uplinkBandwidth: 1e9,
    });

  for (const fidelity of ["flow", "analytical"] as const) {
    it(`${fidelity}: a link degraded at t slows a running flow from t, not before`, () => {
      const { fabric, router, hosts, leafUp } = ls();
      const clock = makeClock();
      const net = makeFluidNetwork(clock, fabric, router, { fidelity, loadBalancing: "ecmp", seed: 1 });
      const group = makeFlowGroup();
      // 1 GB at 1 GB/s alone: 1 s. Halved at 0.5 s: 0.5 GB left at 0.5 GB/s, another second.
      const f = net.startFlow(hosts[0], hosts[1], 1e9, 0, 0, group);
      callAt(clock, 0.5, () => net.setLinkScale(leafUp[0], 0.5));
      runClock(clock);
      expect(net.finishOf(f)).toBeCloseTo(1.5, 12);
    });
  }

  it("flow: two tags meeting on a link are accounted to that link's tier, each way", () => {
    const { fabric, router, hosts } = leafSpine({
      leaves: 2,
      hostsPerLeaf: 2,
      spines: 1,
      latency: 0,
      hostBandwidth: 1e9,
      uplinkBandwidth: 1e9,
    });
    const clock = makeClock();
    const net = makeFluidNetwork(clock, fabric, router, {
      fidelity: "flow",
      loadBalancing: "ecmp",
      seed: 1,
      tags: 2,
    });
    const group = makeFlowGroup();
    const a = net.startFlow(hosts[0], hosts[2], 1e9, 0, 0, group);
    const b = net.startFlow(hosts[1], hosts[3], 1e9, 1, 0, group);
    runClock(clock);
    // They share the leaf-0 → spine → leaf-1 links at 0.5 GB/s each: 2 s, not 1.
    expect(net.finishOf(a)).toBeCloseTo(2, 12);
    expect(net.finishOf(b)).toBeCloseTo(2, 12);
    const m = net.meetings;
    const tiers = m.met.length / 4;
    const spine = 3;
    // Over each of the two shared links, the other moved its whole 1 GB while this one was there.
    expect(m.met[(0 * 2 + 1) * tiers + spine]).toBeCloseTo(2e9, 0);
    expect(m.met[(1 * 2 + 0) * tiers + spine]).toBeCloseTo(2e9, 0);
    expect(m.met[(0 * 2 + 1) * tiers + 0]).toBe(0);
  });
});

describe("transfer", () => {
  it("fires its group when the last flow is delivered, at once when empty", () => {
    const { fabric, router, hosts } = leafSpine({
      leaves: 1,
      hostsPerLeaf: 2,
      spines: 1,
      latency: 1e-6,
      hostBandwidth: 1e9,
      uplinkBandwidth: 1e9,
    });
    const clock = makeClock();
    const net = makeFluidNetwork(clock, fabric, router, { fidelity: "flow", loadBalancing: "ecmp", seed: 1 });
    const flows = flowSetOf(
      [
        { src: 0, dst: 1, bytes: 1e6, start: 0 },
        { src: 1, dst: 0, bytes: 2e6, start: 1e-3 },
      ].map((f) => ({ ...f, src: hosts[f.src], dst: hosts[f.dst] })),
    );
    const g = transfer(net, flows, 0);
    const empty = transfer(net, flowSetOf([]), 0);
    runClock(clock);
    expect(empty.done.time).toBe(0);
    expect(g.done.time).toBeCloseTo(1e-3 + 2e-3 + 2e-6, 12);
  });
});
