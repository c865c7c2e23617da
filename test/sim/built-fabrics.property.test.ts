/**
 * Max-min fairness on fabrics from the topology builders with the real router's paths and spray weights:
 * random fat-trees (2 or 3 tiers, oversubscribed or not, several planes), random link bandwidths, random
 * flows and start times.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeRouter } from "../../src/routing/index.js";
import { maxEndpointPorts } from "../../src/scenario/clos-capacity.js";
import { runFlowEngine } from "../../src/sim/engines/flow/engine.js";
import type { EngineOptions } from "../../src/sim/engines/types.js";
import { makeFlowSet } from "../../src/sim/flows.js";
import { buildFabric } from "../../src/topology/build.js";
import { hostFatTree } from "./helpers/clusters.js";
import { traceViolations } from "./helpers/fairness.js";

const scenario = fc.record({
  hosts: fc.integer({ min: 2, max: 40 }),
  radix: fc.constantFrom(4, 6, 8),
  tiers: fc.constantFrom(2, 3) as fc.Arbitrary<2 | 3>,
  leafOversubscription: fc.constantFrom(1, 2, 3),
  planes: fc.constantFrom(1, 2),
  loadBalancing: fc.constantFrom("ecmp", "spray", "adaptive") as fc.Arbitrary<EngineOptions["loadBalancing"]>,
  seed: fc.integer({ min: 0, max: 1000 }),
  bandwidthSeed: fc.integer({ min: 1, max: 2 ** 30 }),
  flows: fc.array(
    fc.record({
      src: fc.nat(),
      dst: fc.nat(),
      bytes: fc.integer({ min: 1, max: 100 }).map((k) => k * 1e5),
      start: fc.integer({ min: 0, max: 10 }).map((k) => k * 2e-6),
    }),
    { minLength: 1, maxLength: 30 },
  ),
});

describe("flow engine on built fat-trees (random)", () => {
  it("every rate computation is max-min fair and no flow beats its bottleneck", () => {
    fc.assert(
      fc.property(scenario, (c) => {
        const oversubscription = { leaf: c.leafOversubscription, spine: 1 };
        // Keep to what three tiers of this radix can connect.
        const hosts = 2 + (c.hosts % (maxEndpointPorts(c.radix, 3, oversubscription) - 1));
        const spec = hostFatTree(hosts, c.radix, c.tiers, { oversubscription });
        spec.scaleOut.planes = c.planes;
        const fabric = buildFabric(spec);
        // Random bandwidths between 1 and 8 × 50 GB/s, so bottlenecks fall on every tier.
        let s = c.bandwidthSeed;
        for (let l = 0; l < fabric.links.count; l++) {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          fabric.links.bandwidth[l] = (1 + (s % 8)) * 50e9;
        }
        const ids = fabric.groups[0].endpoints;
        const flows = makeFlowSet(c.flows.length);
        c.flows.forEach((f, i) => {
          flows.src[i] = ids[f.src % ids.length];
          flows.dst[i] = ids[f.dst % ids.length];
          flows.bytes[i] = f.bytes;
          flows.start[i] = f.start;
        });
        const router = makeRouter(fabric, { loadBalancing: c.loadBalancing, railAware: false, seed: c.seed });
        const r = runFlowEngine(fabric, router, flows, {
          loadBalancing: c.loadBalancing,
          seed: c.seed,
          trace: true,
        });
        expect(traceViolations(r, flows, fabric.links.bandwidth)).toEqual([]);
        for (let f = 0; f < flows.count; f++) {
          const alone = flows.start[f] + r.routes.latency[f] + flows.bytes[f] / r.routes.bottleneck[f];
          expect(r.finish[f]).toBeGreaterThanOrEqual(alone * (1 - 1e-12));
        }
      }),
      { numRuns: 150 },
    );
  });
});
