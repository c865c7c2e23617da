// Multi-plane fabrics (each NIC port split into P links of bandwidth/P), heterogeneous groups sharing one
// fabric, and NICs shared by several accelerators (NIC nodes with PCIe host links).
import { describe, expect, it } from "vitest";
import { makeRouter } from "../../src/routing/router.js";
import { buildFabric } from "../../src/topology/build.js";
import { PCIE_GEN5_X16 } from "../../src/topology/endpoints.js";
import { type Fabric, LinkTier, NodeKind } from "../../src/topology/fabric.js";
import { bruteForcePaths } from "../routing/brute-force.js";
import { cluster, endpointGroup, gpuGroup, QM9700 } from "./fixtures.js";

const names = (f: Fabric, ids: Iterable<number>) => Array.from(ids, (v) => f.nodes.names[v]);

function leafLinksOf(f: Fabric, v: number): number[] {
  const out: number[] = [];
  for (let i = f.outStart[v]; i < f.outStart[v + 1]; i++) {
    const l = f.outLinks[i];
    if (f.links.tier[l] === LinkTier.leaf) out.push(l);
  }
  return out;
}

describe("multi-plane fabrics", () => {
  const single = buildFabric(
    cluster([gpuGroup("gpu", 64, 8, { count: 8, gbps: 800 })], {
      topology: "rail-optimized",
      switch: QM9700,
      planes: 1,
    }),
  );
  const dual = buildFabric(
    cluster([gpuGroup("gpu", 64, 8, { count: 8, gbps: 800 })], {
      topology: "rail-optimized",
      switch: QM9700,
      planes: 2,
    }),
  );

  it("splits each 800G NIC port into two 400G links, one per plane", () => {
    const gpu = dual.accelerators.node[13];
    const links = leafLinksOf(dual, gpu);
    expect(links.length).toBe(2);
    for (const l of links) expect(dual.links.bandwidth[l]).toBe(50e9);
    expect(
      names(
        dual,
        links.map((l) => dual.links.to[l]),
      ),
    ).toEqual(["p0-leaf-5", "p1-leaf-5"]);
    expect(links.map((l) => dual.nodes.plane[dual.links.to[l]])).toEqual([0, 1]);
  });

  it("builds P identical planes", () => {
    expect(dual.bom.switches.leaf).toBe(2 * 16);
    expect(dual.bom.switches.spine).toBe(2 * 8);
    expect(dual.bom.cables.leaf).toBe(2 * 512);
    // One plane of 800G NICs on 400G ports: links run at the port speed, with a warning.
    expect(single.bom.switches.leaf).toBe(16);
    expect(single.bom.warnings.some((w) => w.includes("exceed the 400 Gbps switch ports"))).toBe(true);
    expect(dual.bom.warnings.some((w) => w.includes("exceed"))).toBe(false);
  });

  it("doubles the equal-cost paths and keeps every tier's spread at 1", () => {
    const r1 = makeRouter(single, { loadBalancing: "ecmp", railAware: false, seed: 0 });
    const r2 = makeRouter(dual, { loadBalancing: "ecmp", railAware: false, seed: 0 });
    const [a, b] = [0, 40 * 8 + 3].map((rank) => dual.accelerators.node[rank]);
    expect(r2.pathCount(a, b)).toBe(2 * r1.pathCount(a, b));
    const links = new Int32Array(r2.maxSpread);
    const w = new Float64Array(r2.maxSpread);
    const m = r2.spread(a, b, links, w);
    const sums = new Map<string, number>();
    for (let i = 0; i < m; i++) {
      const key = `${dual.links.tier[links[i]]}/${dual.links.up[links[i]]}`;
      sums.set(key, (sums.get(key) ?? 0) + w[i]);
    }
    expect(sums.size).toBe(4);
    for (const s of sums.values()) expect(s).toBeCloseTo(1, 12);
  });
});

describe("heterogeneous groups on one fabric", () => {
  const f = buildFabric(
    cluster(
      [
        gpuGroup("h100", 40, 8, { count: 8, gbps: 400 }),
        gpuGroup("h200", 20, 8, { count: 8, gbps: 400 }),
        endpointGroup("mem", "memory", 3, { count: 4, gbps: 400 }),
      ],
      { topology: "rail-optimized", switch: QM9700 },
    ),
  );

  it("numbers accelerators group by group and places each group on fresh scalable units", () => {
    expect(f.accelerators.count).toBe(480);
    expect(f.groups.map((g) => [g.name, g.firstRank, g.endpoints.length])).toEqual([
      ["h100", 0, 320],
      ["h200", 320, 160],
      ["mem", 480, 3],
    ]);
    expect(names(f, [f.accelerators.node[320 + 9]])).toEqual(["h200-n1-a1"]);
    const lay = f.layout!;
    const firstLeaf = (v: number) => f.nodes.names[lay.portLeaf[lay.portStart[v]]];
    // h100: 2 units (16 leaves); h200: 1 unit (leaves 16..23); mem: 1 unit of 4 rails (leaves 24..27).
    expect(firstLeaf(f.groups[1].endpoints[0])).toBe("leaf-16");
    expect(
      names(
        f,
        Array.from({ length: 4 }, (_, i) => lay.portLeaf[lay.portStart[f.groups[2].endpoints[0]] + i]),
      ),
    ).toEqual(["leaf-24", "leaf-25", "leaf-26", "leaf-27"]);
    expect(f.bom.switches.leaf).toBe(28);
    expect(f.nodes.kind[f.groups[2].endpoints[0]]).toBe(NodeKind.memory);
  });

  it("routes between groups and to memory nodes over the shortest paths", () => {
    const r = makeRouter(f, { loadBalancing: "ecmp", railAware: false, seed: 0 });
    const mem = f.groups[2].endpoints[1];
    for (const src of [f.accelerators.node[2], f.accelerators.node[400], mem]) {
      const dst = src === mem ? f.accelerators.node[7] : mem;
      expect(r.pathCount(src, dst)).toBe(bruteForcePaths(f, src, dst).length);
      expect(r.pathCount(src, dst)).toBeGreaterThan(0);
    }
  });
});

describe("NICs shared by accelerators", () => {
  const f = buildFabric(
    cluster([gpuGroup("gpu", 4, 8, { count: 4, gbps: 400 })], { topology: "fat-tree", switch: QM9700 }),
  );

  it("builds NIC nodes joined by PCIe host links to the accelerators that share them", () => {
    const nic1 = f.nodes.names.indexOf("gpu-n0-nic1");
    expect(f.nodes.kind[nic1]).toBe(NodeKind.nic);
    const hosts: string[] = [];
    for (let i = f.outStart[nic1]; i < f.outStart[nic1 + 1]; i++) {
      const l = f.outLinks[i];
      if (f.links.tier[l] !== LinkTier.host) continue;
      hosts.push(f.nodes.names[f.links.to[l]]);
      expect(f.links.bandwidth[l]).toBe(PCIE_GEN5_X16);
    }
    expect(hosts).toEqual(["gpu-n0-a2", "gpu-n0-a3"]);
    expect(f.bom.cables.leaf).toBe(16);
  });

  it("routes accelerator → NIC → leaf, and through a shared NIC when two ranks sit behind it", () => {
    const r = makeRouter(f, { loadBalancing: "ecmp", railAware: false, seed: 0 });
    const out = new Int32Array(r.maxHops);
    const [a, b] = [f.accelerators.node[2], f.accelerators.node[8 + 5]];
    expect(r.pathCount(a, b)).toBe(1);
    expect(
      names(
        f,
        Array.from(out.subarray(0, r.path(a, b, 0, out)), (l) => f.links.to[l]),
      ),
    ).toEqual(["gpu-n0-nic1", "leaf-0", "gpu-n1-nic2", "gpu-n1-a5"]);
    // Without a scale-up fabric, two accelerators behind one NIC meet at the NIC.
    const group = gpuGroup("gpu", 1, 8, { count: 4, gbps: 400 });
    group.scaleUp = undefined;
    const g = buildFabric(cluster([group], { topology: "fat-tree", switch: QM9700 }));
    const rg = makeRouter(g, { loadBalancing: "ecmp", railAware: false, seed: 0 });
    const [c, d] = [g.accelerators.node[2], g.accelerators.node[3]];
    expect(rg.pathCount(c, d)).toBe(1);
    expect(
      names(
        g,
        Array.from(out.subarray(0, rg.path(c, d, 0, out)), (l) => g.links.to[l]),
      ),
    ).toEqual(["gpu-n0-nic1", "gpu-n0-a3"]);
  });

  it("gives an accelerator every NIC of its own when there are more NICs than accelerators", () => {
    const g = buildFabric(
      cluster([gpuGroup("gpu", 2, 2, { count: 4, gbps: 400 })], { topology: "fat-tree", switch: QM9700 }),
    );
    const lay = g.layout!;
    const v = g.accelerators.node[1];
    expect(lay.portStart[v + 1] - lay.portStart[v]).toBe(2);
    const nics = Array.from({ length: 2 }, (_, i) => g.links.to[lay.portHost[lay.portStart[v] + i]]);
    expect(names(g, nics)).toEqual(["gpu-n0-nic2", "gpu-n0-nic3"]);
  });
});
