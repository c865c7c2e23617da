import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyticalEngine } from "../../src/sim/engines/analytical.js";
import { type FlowEngineResult, runFlowEngine } from "../../src/sim/engines/flow/engine.js";
import type { EngineOptions } from "../../src/sim/engines/types.js";
import type { FlowSet } from "../../src/sim/flows.js";
import { REL, traceViolations } from "./helpers/fairness.js";
import { flowSetOf } from "./helpers/flows.js";
import { type LeafSpine, leafSpine } from "./helpers/leaf-spine.js";

/** A random leaf-spine with random per-link bandwidths (1..8 GB/s), and random flows on it. */
const scenario = fc
  .record({
    leaves: fc.integer({ min: 1, max: 4 }),
    hostsPerLeaf: fc.integer({ min: 1, max: 4 }),
    spines: fc.integer({ min: 1, max: 3 }),
    latency: fc.constantFrom(0, 1e-6),
    loadBalancing: fc.constantFrom("ecmp", "spray", "adaptive") as fc.Arbitrary<
      EngineOptions["loadBalancing"]
    >,
    seed: fc.integer({ min: 0, max: 1000 }),
    staggered: fc.boolean(),
  })
  .chain((shape) => {
    const hosts = shape.leaves * shape.hostsPerLeaf;
    const links = 2 * (hosts + shape.leaves * shape.spines);
    const flow = fc.record({
      src: fc.integer({ min: 0, max: hosts - 1 }),
      dst: fc.integer({ min: 0, max: hosts - 1 }),
      bytes: fc.integer({ min: 1, max: 1000 }).map((k) => k * 1e4),
      start: shape.staggered ? fc.integer({ min: 0, max: 20 }).map((k) => k * 1e-4) : fc.constant(0),
      klass: fc.constant(undefined),
    });
    return fc.record({
      shape: fc.constant(shape),
      bandwidths: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: links, maxLength: links }),
      flows: fc.array(flow, { minLength: 1, maxLength: 24 }),
    });
  });

type Case = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function setup(c: Case): { net: LeafSpine; flows: FlowSet; options: EngineOptions } {
  const net = leafSpine({ ...c.shape, hostBandwidth: 1e9, uplinkBandwidth: 1e9 });
  c.bandwidths.forEach((b, l) => {
    net.fabric.links.bandwidth[l] = b * 1e9;
  });
  return {
    net,
    flows: flowSetOf(c.flows),
    options: { loadBalancing: c.shape.loadBalancing, seed: c.shape.seed, linkBytes: true },
  };
}

function simulate(c: Case): { net: LeafSpine; flows: FlowSet; r: FlowEngineResult } {
  const { net, flows, options } = setup(c);
  return { net, flows, r: runFlowEngine(net.fabric, net.router, flows, { ...options, trace: true }) };
}

const RUNS = { numRuns: 300 };

describe("flow engine invariants (random leaf-spine fabrics and flow sets)", () => {
  it("every rate computation is max-min fair over the flows active then (incremental = global)", () => {
    fc.assert(
      fc.property(scenario, (c) => {
        const { net, flows, r } = simulate(c);
        expect(traceViolations(r, flows, net.fabric.links.bandwidth)).toEqual([]);
      }),
      RUNS,
    );
  });

  it("conserves bytes: Σ rate × time per flow = its bytes, and link bytes = Σ bytes × weight", () => {
    fc.assert(
      fc.property(scenario, (c) => {
        const { net, flows, r } = simulate(c);
        const trace = r.trace!;
        const moved = new Float64Array(flows.count);
        const carried = new Float64Array(net.fabric.links.count);
        for (let f = 0; f < flows.count; f++) {
          const end = r.finish[f] - r.routes.latency[f];
          let bytes = 0;
          // Rows of one flow are in time order; each rate holds until the next row or the transfer's end.
          for (let i = 0; i < trace.count; i++) {
            if (trace.flow[i] !== f) continue;
            let until = end;
            for (let j = i + 1; j < trace.count; j++) {
              if (trace.flow[j] === f) {
                until = trace.time[j];
                break;
              }
            }
            bytes += trace.rate[i] * (until - trace.time[i]);
          }
          moved[f] = bytes;
          const routed = r.routes.start[f] < r.routes.start[f + 1];
          if (routed) expect(Math.abs(bytes - flows.bytes[f])).toBeLessThanOrEqual(flows.bytes[f] * 1e-9);
          for (let e = r.routes.start[f]; e < r.routes.start[f + 1]; e++) {
            carried[r.routes.link[e]] += moved[f] * r.routes.weight[e];
          }
        }
        carried.forEach((b, l) => {
          expect(Math.abs(b - r.linkBytes![l])).toBeLessThanOrEqual(1e-9 * Math.max(1, r.linkBytes![l]));
        });
      }),
      RUNS,
    );
  });

  it("no flow beats its bottleneck alone, and no link carries more than its line rate over the run", () => {
    fc.assert(
      fc.property(scenario, (c) => {
        const { net, flows, r } = simulate(c);
        const alone = analyticalEngine(net.fabric, net.router, flows, setup(c).options);
        let first = Number.POSITIVE_INFINITY;
        for (let f = 0; f < flows.count; f++) {
          first = Math.min(first, flows.start[f]);
          // The analytical finish is exactly start + latency + bytes / bottleneck.
          expect(r.finish[f]).toBeGreaterThanOrEqual(alone.finish[f] * (1 - 1e-12));
          const transfer = r.finish[f] - flows.start[f] - r.routes.latency[f];
          if (flows.bytes[f] > 0 && transfer > 0) {
            expect(flows.bytes[f] / transfer).toBeLessThanOrEqual(r.routes.bottleneck[f] * (1 + REL));
          }
        }
        r.linkBytes!.forEach((b, l) => {
          expect(b).toBeLessThanOrEqual(net.fabric.links.bandwidth[l] * (r.makespan - first) * (1 + REL));
        });
      }),
      RUNS,
    );
  });

  it("is deterministic: the same input and seed give identical finishes", () => {
    fc.assert(
      fc.property(scenario, (c) => {
        const a = simulate(c).r;
        const b = simulate(c).r;
        expect(JSON.stringify(Array.from(b.finish))).toBe(JSON.stringify(Array.from(a.finish)));
        expect(b.stats).toEqual(a.stats);
      }),
      { numRuns: 100 },
    );
  });

  it("agrees with the analytical engine within 2% when flows do not contend", () => {
    // Disjoint host pairs under spraying on a non-blocking leaf-spine: no link is shared beyond its share.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 24, maxLength: 24 }),
        fc.constantFrom("ecmp", "spray") as fc.Arbitrary<EngineOptions["loadBalancing"]>,
        (leaves, spines, sizes, loadBalancing) => {
          const hostsPerLeaf = 4;
          const net = leafSpine({
            leaves,
            hostsPerLeaf,
            spines,
            hostBandwidth: 1e9,
            uplinkBandwidth: 1e9,
            latency: 1e-6,
          });
          const hosts = leaves * hostsPerLeaf;
          // Each host sends to its neighbour on the same leaf: every flow has its own two host links.
          const flows = flowSetOf(
            Array.from({ length: hosts }, (_, h) => ({
              src: h,
              dst: h % hostsPerLeaf === hostsPerLeaf - 1 ? h - hostsPerLeaf + 1 : h + 1,
              bytes: sizes[h % sizes.length] * 1e4,
            })),
          );
          const options: EngineOptions = { loadBalancing, seed: 3 };
          const a = analyticalEngine(net.fabric, net.router, flows, options);
          const f = runFlowEngine(net.fabric, net.router, flows, options);
          const errors = Array.from(a.finish, (t, i) => Math.abs(f.finish[i] - t) / t);
          expect(Math.max(...errors)).toBeLessThanOrEqual(0.02);
        },
      ),
      { numRuns: 50 },
    );
  });
});
