import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildFabric } from "../../src/topology/build.js";
import { htsimDefaultCluster } from "../../src/workload/traffic/htsim-topology.js";
import { derangement, trafficEndpoints, trafficFlows } from "../../src/workload/traffic/patterns.js";
import { dataPath } from "../helpers/data.js";

describe("traffic patterns", () => {
  it("a derangement is a permutation without fixed points, the same for the same seed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.integer(), (n, seed) => {
        const p = derangement(n, seed);
        expect(new Set(p).size).toBe(n);
        for (let i = 0; i < n; i++) {
          expect(p[i]).not.toBe(i);
          expect(p[i]).toBeGreaterThanOrEqual(0);
          expect(p[i]).toBeLessThan(n);
        }
        expect(Array.from(derangement(n, seed))).toEqual(Array.from(p));
      }),
      { numRuns: 200 },
    );
    expect(Array.from(derangement(64, 1))).not.toEqual(Array.from(derangement(64, 2)));
    expect(() => derangement(1, 1)).toThrow(/at least 2 endpoints/);
  });

  const fabric = buildFabric(htsimDefaultCluster(16));
  const ep = trafficEndpoints(fabric);

  it("endpoints are the hosts in order", () => {
    expect(ep).toHaveLength(16);
    expect(Array.from(ep, (n) => fabric.nodes.names[n]).slice(0, 2)).toEqual(["host-n0", "host-n1"]);
  });

  it("incast: the first senders into the last endpoint; all-to-all: every ordered pair", () => {
    const inc = trafficFlows({ kind: "traffic", pattern: "incast", size: 1000, senders: 5 }, fabric, 1);
    expect(Array.from(inc.srcIndex)).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(inc.dstIndex)).toEqual(new Set([15]));
    expect(inc.flows.dst[0]).toBe(ep[15]);
    const a2a = trafficFlows({ kind: "traffic", pattern: "all-to-all", size: 10 }, fabric, 1);
    expect(a2a.flows.count).toBe(16 * 15);
    expect(Array.from(a2a.flows.bytes).every((b) => b === 10)).toBe(true);
    expect(() =>
      trafficFlows({ kind: "traffic", pattern: "incast", size: 1, senders: 16 }, fabric, 1),
    ).toThrow(/16 senders need 1..15/);
  });

  it("permutation: every endpoint sends once and receives once", () => {
    const p = trafficFlows({ kind: "traffic", pattern: "permutation", size: 2e6 }, fabric, 9);
    expect(new Set(p.srcIndex).size).toBe(16);
    expect(new Set(p.dstIndex).size).toBe(16);
    for (let f = 0; f < 16; f++) expect(p.srcIndex[f]).not.toBe(p.dstIndex[f]);
  });

  it("file: an htsim matrix, ids and start times kept, more nodes than endpoints refused", () => {
    const file = dataPath("htsim/perm_128n_128c_2MB.cm");
    const big = buildFabric(htsimDefaultCluster(128));
    const t = trafficFlows({ kind: "traffic", pattern: "file", size: 0, file }, big, 1);
    expect(t.flows.count).toBe(128);
    expect(t.ids[0]).toBe(1);
    expect([t.srcIndex[0], t.dstIndex[0]]).toEqual([103, 32]);
    expect(() => trafficFlows({ kind: "traffic", pattern: "file", size: 0, file }, fabric, 1)).toThrow(
      /Nodes 128 but the fabric has 16 endpoints/,
    );
  });
});
