// Bundles of parallel links (src/sim/engines/flow/bundles.ts): the flow engine shares a sprayed fat-tree's
// links as a few bundles, with the same finishes as on the links themselves, and keeps apart a link that
// a flow tells apart (degraded, or its sender's own).
import { describe, expect, it } from "vitest";
import { randomFlows } from "../../bench/cases/flow-spray-random-2000.bench.js";
import { makeRouter } from "../../src/routing/index.js";
import { mergeParallelLinks } from "../../src/sim/engines/flow/bundles.js";
import { runFlowEngine } from "../../src/sim/engines/flow/engine.js";
import { routeFlows } from "../../src/sim/engines/routes.js";
import type { EngineOptions } from "../../src/sim/engines/types.js";
import { type WireModel, wireModelFor } from "../../src/sim/engines/wire.js";
import type { FlowSet } from "../../src/sim/flows.js";
import { buildFabric } from "../../src/topology/build.js";
import type { Fabric } from "../../src/topology/fabric.js";
import { hostFatTree } from "./helpers/clusters.js";

const NSCC = { mtu: 4150, congestionControl: "nscc", trimming: true } as const;

function finishes(fabric: Fabric, flows: FlowSet, wire: WireModel | undefined, bundle: boolean) {
  const options: EngineOptions = { loadBalancing: "spray", seed: 1, ...(wire ? { wire } : {}) };
  const router = makeRouter(fabric, { loadBalancing: "spray", railAware: false, seed: 1 });
  return runFlowEngine(fabric, router, flows, { ...options, bundle });
}

describe("bundles of parallel links", () => {
  const fabric = buildFabric(hostFatTree(128, 16, 3));
  const hosts = fabric.groups[0].endpoints;
  const flows = randomFlows(hosts, 300);
  const router = makeRouter(fabric, { loadBalancing: "spray", railAware: false, seed: 1 });

  it("turn a sprayed fat-tree's hundreds of incidences per flow into a handful", () => {
    const routes = routeFlows(fabric, router, flows, { loadBalancing: "spray", seed: 1 });
    const b = mergeParallelLinks(routes, fabric.links.bandwidth, fabric.links.from, flows.src);
    if (!b) throw new Error("no bundles on a sprayed fat-tree");
    expect(b.routes.link.length).toBeLessThan(routes.link.length / 4);
    for (let f = 0; f < flows.count; f++)
      expect(b.routes.start[f + 1] - b.routes.start[f]).toBeLessThanOrEqual(6);
    // A bundle's capacity is its members' (every link a flow uses is in exactly one bundle).
    const used = new Set(routes.link);
    let sum = 0;
    for (const l of used) sum += fabric.links.bandwidth[l];
    expect(b.capacity.reduce((x, y) => x + y, 0)).toBeCloseTo(sum, 0);
  });

  it("give the same finishes as the links themselves: ideal, wire model, sharing by path", () => {
    for (const sharing of [undefined, "max-min", "by-path"] as const) {
      const wire = sharing ? wireModelFor(NSCC, fabric, router, true, sharing) : undefined;
      const a = finishes(fabric, flows, wire, true);
      const b = finishes(fabric, flows, wire, false);
      expect(a.stats.recomputes).toBe(b.stats.recomputes);
      for (let f = 0; f < flows.count; f++) expect(a.finish[f] / b.finish[f] - 1).toBeCloseTo(0, 12);
    }
  });

  it("keep a degraded link apart, and its flows' finishes as on the links", () => {
    const routes = routeFlows(fabric, router, flows, { loadBalancing: "spray", seed: 1 });
    const degraded = routes.link[routes.start[0] + 2]; // a link the first flow sprays over, past its host
    const bandwidth = Float64Array.from(fabric.links.bandwidth);
    bandwidth[degraded] /= 2;
    const b = mergeParallelLinks(routes, bandwidth, fabric.links.from, flows.src);
    if (!b) throw new Error("no bundles");
    // Flow 0's weight per capacity on the degraded link is twice its siblings': the link is a bundle alone,
    // of its own capacity.
    let alone = false;
    for (let i = b.routes.start[0]; i < b.routes.start[1]; i++)
      if (b.capacity[b.routes.link[i]] === bandwidth[degraded]) alone = true;
    expect(alone).toBe(true);
    const slow: Fabric = { ...fabric, links: { ...fabric.links, bandwidth } };
    const x = finishes(slow, flows, undefined, true);
    const y = finishes(slow, flows, undefined, false);
    for (let g = 0; g < flows.count; g++) expect(x.finish[g] / y.finish[g] - 1).toBeCloseTo(0, 12);
  });

  it("leave routes that do not spread (ECMP) on their links", () => {
    const ecmp = makeRouter(fabric, { loadBalancing: "ecmp", railAware: false, seed: 1 });
    const routes = routeFlows(fabric, ecmp, flows, { loadBalancing: "ecmp", seed: 1 });
    expect(mergeParallelLinks(routes, fabric.links.bandwidth, fabric.links.from, flows.src)).toBeUndefined();
  });
});
