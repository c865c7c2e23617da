// Fat-tree counts: the k-ary fat-tree of Al-Fares et al. (SIGCOMM'08) — k³/4 hosts, k²/2 edge, k²/2
// aggregation, k²/4 core switches in k pods — as htsim builds it by default (data/htsim: 16 hosts →
// NCORE 4, NAGG 8, NTOR 8, NPOD 4; 128 hosts → 16, 32, 32, 8). Exact counts.
import { describe, expect, it } from "vitest";
import { WeftError } from "../../src/errors.js";
import { makeRouter } from "../../src/routing/router.js";
import { buildFabric } from "../../src/topology/build.js";
import { SwitchTier } from "../../src/topology/fabric.js";
import { cluster, endpointGroup, gpuGroup, switchSpec } from "./fixtures.js";

function kAry(k: number) {
  const hosts = k ** 3 / 4;
  return buildFabric(
    cluster([endpointGroup("host", "host", hosts, { count: 1, gbps: 100 })], {
      topology: "fat-tree",
      switch: switchSpec(k, 100),
      tiers: 3,
    }),
  );
}

function pods(fabric: ReturnType<typeof kAry>): number {
  const seen = new Set<number>();
  for (let v = 0; v < fabric.nodes.count; v++)
    if (fabric.nodes.tier[v] === SwitchTier.leaf) seen.add(fabric.nodes.pod[v]);
  return seen.size;
}

describe("k-ary fat-tree", () => {
  it.each([4, 8, 16])("k = %i has k³/4 hosts, k²/2 edge and aggregation, k²/4 core switches", (k) => {
    const fabric = kAry(k);
    const { switches, warnings } = fabric.bom;
    const row = {
      k,
      hosts: fabric.groups[0].endpoints.length,
      edge: switches.leaf,
      aggregation: switches.spine,
      core: switches.core,
      pods: pods(fabric),
    };
    console.table([row]);
    expect(row).toEqual({
      k,
      hosts: k ** 3 / 4,
      edge: k ** 2 / 2,
      aggregation: k ** 2 / 2,
      core: k ** 2 / 4,
      pods: k,
    });
    expect(warnings.filter((w) => w.includes("unused"))).toEqual([]);
  });

  it("matches htsim's default topology sizes", () => {
    const htsim = [
      { hosts: 16, NCORE: 4, NAGG: 8, NTOR: 8, NPOD: 4 },
      { hosts: 128, NCORE: 16, NAGG: 32, NTOR: 32, NPOD: 8 },
    ];
    for (const ref of htsim) {
      const k = Math.round(Math.cbrt(4 * ref.hosts));
      const f = kAry(k);
      expect({
        hosts: ref.hosts,
        NCORE: f.bom.switches.core,
        NAGG: f.bom.switches.spine,
        NTOR: f.bom.switches.leaf,
        NPOD: pods(f),
      }).toEqual(ref);
    }
  });

  it("has (k/2)² paths between pods, k/2 inside a pod, 1 under one edge switch", () => {
    for (const k of [4, 8]) {
      const f = kAry(k);
      const r = makeRouter(f, { loadBalancing: "ecmp", railAware: false, seed: 0 });
      const host = f.groups[0].endpoints;
      const perPod = (k / 2) ** 2;
      expect(r.pathCount(host[0], host[1])).toBe(1);
      expect(r.pathCount(host[0], host[k / 2])).toBe(k / 2);
      expect(r.pathCount(host[0], host[perPod])).toBe(perPod);
      expect(r.maxHops).toBe(6);
    }
  });

  it("splits leaf ports by the oversubscription", () => {
    // 64 ports at 3:1 → 48 down, 16 up; 96 hosts → 2 leaves → 1 spine of 32 down ports used.
    const f = buildFabric(
      cluster([endpointGroup("host", "host", 96, { count: 1, gbps: 400 })], {
        topology: "fat-tree",
        switch: switchSpec(64, 400),
        tiers: 2,
        oversubscription: { leaf: 3, spine: 1 },
      }),
    );
    expect(f.bom.switches).toMatchObject({ leaf: 2, spine: 1 });
    expect(f.bom.cables).toMatchObject({ leaf: 96, spine: 32 });
    const r = makeRouter(f, { loadBalancing: "ecmp", railAware: false, seed: 0 });
    const h = f.groups[0].endpoints;
    expect(r.pathCount(h[0], h[95])).toBe(16 * 16); // 16 parallel links up and 16 down via the one spine
  });

  it("starts each group on a fresh leaf", () => {
    const f = buildFabric(
      cluster(
        [
          endpointGroup("a", "host", 3, { count: 1, gbps: 100 }),
          endpointGroup("b", "host", 3, { count: 1, gbps: 100 }),
        ],
        { topology: "fat-tree", switch: switchSpec(8, 100), tiers: 2 },
      ),
    );
    const lay = f.layout!;
    const leaf = (v: number) => f.nodes.names[lay.portLeaf[lay.portStart[v]]];
    expect(f.groups.map((g) => Array.from(g.endpoints, leaf))).toEqual([
      ["leaf-0", "leaf-0", "leaf-0"],
      ["leaf-1", "leaf-1", "leaf-1"],
    ]);
  });

  it("builds one switch for 1 tier, and more tiers with a warning when 1 cannot hold the ports", () => {
    const one = buildFabric(
      cluster([endpointGroup("h", "host", 8, { count: 1, gbps: 100 })], {
        topology: "fat-tree",
        switch: switchSpec(8, 100),
        tiers: 1,
      }),
    );
    expect(one.bom.switches).toEqual({ leaf: 1, scaleUp: 0 });
    expect(one.tiers).toBe(1);
    const raised = buildFabric(
      cluster([endpointGroup("h", "host", 9, { count: 1, gbps: 100 })], {
        topology: "fat-tree",
        switch: switchSpec(8, 100),
        tiers: 1,
      }),
    );
    expect(raised.tiers).toBe(2);
    expect(raised.bom.warnings.some((w) => w.includes("cannot connect the ports: built 2"))).toBe(true);
  });

  it("warns when a single switch is asked for more ports than its radix", () => {
    const f = buildFabric(
      cluster([gpuGroup("gpu", 10, 8, { count: 8, gbps: 400 })], {
        topology: "single-switch",
        switch: switchSpec(64, 400),
      }),
    );
    expect(f.bom.switches.leaf).toBe(1);
    expect(f.bom.warnings).toContain("single switch: 80 ports exceed its radix of 64");
  });

  it("refuses a fabric that 3 tiers cannot hold, saying what to change", () => {
    const build = () =>
      buildFabric(
        cluster([endpointGroup("h", "host", 17, { count: 1, gbps: 100 })], {
          topology: "fat-tree",
          switch: switchSpec(4, 100),
          tiers: 3,
        }),
      );
    expect(build).toThrow(WeftError);
    expect(build).toThrow(/more ports, more planes or less oversubscription/);
  });
});
