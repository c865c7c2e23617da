// Rail-only and rail-optimized fabrics with rail-aware (PXN) routing.
import { describe, expect, it } from "vitest";
import { makeRouter } from "../../src/routing/router.js";
import { buildFabric } from "../../src/topology/build.js";
import { type Fabric, LinkTier, SwitchTier } from "../../src/topology/fabric.js";
import { cluster, endpointGroup, gpuGroup, switchSpec } from "../topology/fixtures.js";
import { bruteForcePaths } from "./brute-force.js";

// 16 nodes × 4 GPUs with 4 NICs on 8-port switches: a rail's 16 ports need several leaves, so units of 4
// nodes (4 ports down, 4 up), 4 units × 4 rails = 16 rail leaves.
function railFabric(topology: "rail-only" | "rail-optimized", nodes = 16): Fabric {
  return buildFabric(
    cluster([gpuGroup("gpu", nodes, 4, { count: 4, gbps: 400 })], { topology, switch: switchSpec(8, 400) }),
  );
}

const names = (f: Fabric, path: Int32Array, n: number) =>
  Array.from(path.subarray(0, n), (l) => f.nodes.names[f.links.to[l]]);

describe("rail-only (Wang et al. 2023)", () => {
  const f = railFabric("rail-only");
  const node = (server: number, local: number) => f.accelerators.node[server * 4 + local];

  it("has rail leaves and per-rail spines, and no scale-out link between two rails", () => {
    expect(f.bom.switches.leaf).toBe(16);
    // Two spines per rail: 4 leaves × 4 uplinks, 2 links from each leaf to each 8-port spine.
    expect(f.bom.switches.spine).toBe(8);
    const railOf = new Map<number, number>();
    const lay = f.layout!;
    for (let v = 0; v < f.nodes.count; v++) {
      if (f.nodes.tier[v] === SwitchTier.leaf || f.nodes.tier[v] === SwitchTier.spine) {
        railOf.set(v, lay.networks[lay.switchNet[v]].rail);
      }
    }
    for (let l = 0; l < f.links.count; l++) {
      if (f.links.tier[l] !== LinkTier.spine) continue;
      expect(railOf.get(f.links.from[l])).toBe(railOf.get(f.links.to[l]));
    }
  });

  it("reaches another rail only when rail-aware, over the scale-up domain first", () => {
    const plain = makeRouter(f, { loadBalancing: "ecmp", railAware: false, seed: 0 });
    const pxn = makeRouter(f, { loadBalancing: "ecmp", railAware: true, seed: 0 });
    const [src, dst] = [node(0, 0), node(5, 1)];
    expect(plain.pathCount(src, dst)).toBe(0);
    expect(bruteForcePaths(f, src, dst)).toEqual([]);
    const n = pxn.pathCount(src, dst);
    expect(n).toBe(1 * 4 * 2); // NVLink hop, then rail 1's spines: 4 links up, 2 down from each spine
    const out = new Int32Array(pxn.maxHops);
    for (let k = 0; k < n; k++) {
      const len = pxn.path(src, dst, k, out);
      const hops = names(f, out, len);
      expect(hops.slice(0, 2)).toEqual(["nvsw-d0", "gpu-n0-a1"]);
      expect([hops[2], hops[4], hops[5]]).toEqual(["leaf-1", "leaf-5", "gpu-n5-a1"]);
      expect(["spine-2", "spine-3"]).toContain(hops[3]);
    }
    // Same rail: no detour, even when rail-aware.
    expect(pxn.pathCount(node(0, 2), node(5, 2))).toBe(8);
  });

  it("spreads the rail-aware route: the scale-up hop carries everything, the rail spine links share it", () => {
    const pxn = makeRouter(f, { loadBalancing: "spray", railAware: true, seed: 0 });
    const links = new Int32Array(pxn.maxSpread);
    const weights = new Float64Array(pxn.maxSpread);
    const m = pxn.spread(node(0, 0), node(5, 1), links, weights);
    const byTier = new Map<string, number>();
    for (let i = 0; i < m; i++) {
      const key = `${f.links.tier[links[i]]}:${f.links.up[links[i]]}`;
      byTier.set(key, (byTier.get(key) ?? 0) + weights[i]);
    }
    expect([...byTier.values()].every((s) => Math.abs(s - 1) < 1e-12)).toBe(true);
    expect(m).toBe(2 + 2 + 4 + 4); // 2 NVLink, 2 NIC links, 4 up and 4 down between leaf and spine
  });
  it("a rail whose ports fit one switch is one switch, every port down (no spine)", () => {
    // 8 nodes: each rail's 8 NIC ports fill one 8-port switch.
    const one = railFabric("rail-only", 8);
    const node = (server: number, local: number) => one.accelerators.node[server * 4 + local];
    expect(one.bom.switches.leaf).toBe(4);
    expect(one.bom.switches.spine ?? 0).toBe(0);
    expect(one.bom.unusedPorts.leaf).toEqual({ unused: 0, total: 32 });
    const pxn = makeRouter(one, { loadBalancing: "ecmp", railAware: true, seed: 0 });
    const out = new Int32Array(pxn.maxHops);
    const len = pxn.path(node(0, 0), node(5, 1), 0, out);
    expect(names(one, out, len)).toEqual(["nvsw-d0", "gpu-n0-a1", "leaf-1", "gpu-n5-a1"]);
  });
});

describe("rail-optimized with rail-aware routing", () => {
  const f = railFabric("rail-optimized");
  const node = (server: number, local: number) => f.accelerators.node[server * 4 + local];

  it("goes cross-rail through the spines without PXN, through the NVLink peer with it", () => {
    const plain = makeRouter(f, { loadBalancing: "ecmp", railAware: false, seed: 0 });
    const pxn = makeRouter(f, { loadBalancing: "ecmp", railAware: true, seed: 0 });
    const [src, dst] = [node(0, 0), node(1, 1)]; // same unit, different rails
    const out = new Int32Array(pxn.maxHops);
    expect(plain.pathCount(src, dst)).toBe(bruteForcePaths(f, src, dst).length);
    expect(names(f, out, plain.path(src, dst, 0, out))[1]).toMatch(/^spine-/);
    expect(pxn.pathCount(src, dst)).toBe(1);
    expect(names(f, out, pxn.path(src, dst, 0, out))).toEqual([
      "nvsw-d0",
      "gpu-n0-a1",
      "leaf-1",
      "gpu-n1-a1",
    ]);
  });

  it("keeps traffic inside a domain on the scale-up fabric", () => {
    const pxn = makeRouter(f, { loadBalancing: "ecmp", railAware: true, seed: 0 });
    const out = new Int32Array(pxn.maxHops);
    expect(names(f, out, pxn.path(node(3, 0), node(3, 2), 0, out))).toEqual(["nvsw-d3", "gpu-n3-a2"]);
  });
});

describe("rail-only with a memory server on some rails", () => {
  const f = buildFabric(
    cluster(
      [
        gpuGroup("gpu", 4, 4, { count: 4, gbps: 400 }),
        endpointGroup("mem", "memory", 1, { count: 2, gbps: 400 }),
      ],
      {
        topology: "rail-only",
        switch: switchSpec(8, 400),
      },
    ),
  );
  const mem = f.groups[1].endpoints[0];

  it("reaches it from a GPU on another rail through the first NVLink peer on its rails", () => {
    const gpu3 = f.accelerators.node[3]; // rail 3; the memory server sits on rails 0 and 1
    expect(makeRouter(f, { loadBalancing: "ecmp", railAware: false, seed: 0 }).pathCount(gpu3, mem)).toBe(0);
    const pxn = makeRouter(f, { loadBalancing: "ecmp", railAware: true, seed: 0 });
    expect(pxn.pathCount(gpu3, mem)).toBeGreaterThan(0);
    const out = new Int32Array(pxn.maxHops);
    expect(names(f, out, pxn.path(gpu3, mem, 0, out)).slice(0, 2)).toEqual(["nvsw-d0", "gpu-n0-a0"]);
  });
});
