// The big fabric's overview: servers keep their scale-up switch inside, switches gather by pod and tier
// and top-tier switches by plane, and bundled edges keep every cable's count, failure and load.
import { describe, expect, it } from "vitest";
import { displayGraph, type FabricGraph } from "../../web/src/views/fabric-layout.js";
import {
  drawnLabel,
  edgeStats,
  fabricMembers,
  groupDisplayGraph,
  linksOf,
  view,
} from "../../web/src/views/fabric-lod.js";

const PODS = 4;
const LEAVES = 16; // per pod, and as many spines
const SERVERS = 9; // per leaf: 4 × 16 × 9 × 8 = 4,608 accelerators, above the one-node-per-server line
const GPUS = 8;
const CORES = 2; // per plane; plane j holds the cores above spine j of every pod

/** A 3-tier fat-tree of HGX-like servers (8 GPUs on one NVSwitch, 8 NICs to one leaf). */
function fatTree(): FabricGraph {
  const names: string[] = [];
  const kind: number[] = [];
  const tier: number[] = [];
  const server: number[] = [];
  const cables: FabricGraph["cables"] = { from: [], to: [], tier: [], bandwidth: [], failed: [] };
  const add = (name: string, k: number, t: number, s = -1) => {
    names.push(name);
    kind.push(k);
    tier.push(t);
    server.push(s);
    return names.length - 1;
  };
  const cable = (a: number, b: number, t: number) => {
    cables.from.push(a);
    cables.to.push(b);
    cables.tier.push(t);
    cables.bandwidth.push(5e10);
    cables.failed.push(0);
  };
  const cores = Array.from({ length: LEAVES * CORES }, (_, c) => add(`core-${c}`, 5, 4));
  for (let p = 0; p < PODS; p++) {
    const spines = Array.from({ length: LEAVES }, (_, j) => add(`spine-${p}-${j}`, 5, 3));
    spines.forEach((sp, j) => {
      for (let c = 0; c < CORES; c++) cable(sp, cores[j * CORES + c], 3);
    });
    for (let l = 0; l < LEAVES; l++) {
      const leaf = add(`leaf-${p}-${l}`, 5, 2);
      for (const sp of spines) cable(leaf, sp, 2);
      for (let s = 0; s < SERVERS; s++) {
        const id = (p * LEAVES + l) * SERVERS + s;
        const nvswitch = add(`nvsw-${id}`, 5, 1);
        for (let k = 0; k < GPUS; k++) {
          const gpu = add(`gpu-${id}-${k}`, 0, 0, id);
          const nic = add(`nic-${id}-${k}`, 4, 0, id);
          cable(gpu, nvswitch, 1);
          cable(gpu, nic, 0);
          cable(nic, leaf, 2);
        }
      }
    }
  }
  return {
    nodes: { names, kind, tier, group: names.map(() => 0), server },
    kinds: ["accelerator", "memory", "storage", "host", "nic", "switch"],
    tiers: ["none", "scaleUp", "leaf", "spine", "core"],
    cables,
    cableTiers: ["host", "scaleUp", "leaf", "spine", "core"],
    groups: ["gpu"],
    plan: { accelerators: 0, switches: {}, cables: {}, optics: {}, costUsd: {}, powerW: {}, warnings: [] },
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe("the big fabric's overview", () => {
  const g = fatTree();
  const leafSpine = (p: number, l: number, j: number) =>
    g.cables.from.findIndex(
      (f, c) => g.nodes.names[f] === `leaf-${p}-${l}` && g.nodes.names[g.cables.to[c]] === `spine-${p}-${j}`,
    );
  g.cables.failed[leafSpine(1, 3, 5)] = 1;
  g.cables.load = g.cables.from.map(() => 0.25);
  g.cables.load[leafSpine(1, 2, 0)] = 0.9;
  const d = displayGraph(g);
  const groups = groupDisplayGraph(d, 1000);
  const stats = edgeStats(g, d);

  it("draws an HGX server with its NVSwitch inside, as one node", () => {
    expect(d.role.filter((r) => r === "server")).toHaveLength(PODS * LEAVES * SERVERS);
    expect(d.role).not.toContain("scaleUp");
    const gpu = d.drawnOf[g.nodes.names.indexOf("gpu-7-0")];
    expect(d.members[gpu]).toContain(g.nodes.names.indexOf("nvsw-7"));
  });

  it("gathers each pod's servers, leaves and spines, and the cores of each plane", () => {
    expect(groups).toBeDefined();
    expect(groupDisplayGraph(d)).toBeUndefined(); // under COLLAPSE_ABOVE edges it stays detailed
    const names = groups?.names ?? [];
    expect(names).toHaveLength(3 * PODS + LEAVES);
    expect(names).toContain(`pod 2 · ${LEAVES} × leaf`);
    expect(names).toContain(`pod 1 · ${LEAVES * SERVERS} × server`);
    expect(names).toContain(`core plane 1 · ${CORES} × core`);
  });

  it("bundles every cable between groups into one edge with its count, failures and load", () => {
    const v = view(d, stats, groups, new Set());
    expect(v.nodes).toHaveLength(3 * PODS + LEAVES);
    expect(v.nodes.every((n) => n.group)).toBe(true);
    expect(sum(v.edges.map((e) => e.cables))).toBe(sum(d.edges.map((e) => e.cables.length)));
    const failed = v.edges.filter((e) => e.failed > 0);
    expect(failed).toHaveLength(1);
    expect(failed[0].cables).toBe(LEAVES * LEAVES);
    expect(failed[0].maxLoad).toBeCloseTo(0.9);
    expect(failed[0].meanLoad).toBeCloseTo((0.25 * (LEAVES * LEAVES - 1) + 0.9) / (LEAVES * LEAVES));
  });

  it("opens a group into its members, their cables to closed groups still bundled", () => {
    const leaves = groups?.names.indexOf(`pod 2 · ${LEAVES} × leaf`) ?? -1;
    const v = view(d, stats, groups, new Set([leaves]));
    expect(v.nodes).toHaveLength(3 * PODS + LEAVES - 1 + LEAVES);
    const leaf = String(d.drawnOf[g.nodes.names.indexOf("leaf-1-3")]);
    const up = v.edges.filter((e) => e.source === leaf || e.target === leaf);
    // To its pod's spines (one group) and its servers (one group).
    expect(up.map((e) => e.cables).sort((a, b) => a - b)).toEqual([LEAVES, SERVERS * GPUS]);
    expect(up.find((e) => e.cables === LEAVES)?.failed).toBe(1);
    expect(sum(v.edges.map((e) => e.cables))).toBe(sum(d.edges.map((e) => e.cables.length)));
    // The side panel lists the clicked group's links as if it were closed.
    const links = linksOf(d, stats, groups!, new Set([leaves]), `g${leaves}`);
    const peers = links.map((e) => drawnLabel(d, groups, e.source === `g${leaves}` ? e.target : e.source));
    expect(peers.sort()).toEqual([`pod 2 · ${LEAVES * SERVERS} × server`, `pod 2 · ${LEAVES} × spine`]);
    expect(links.map((e) => e.failed).sort()).toEqual([0, 1]);
    // A device's links as drawn now: to its pod's spines, still one group.
    expect(
      linksOf(d, stats, groups!, new Set([leaves]), leaf)
        .map((e) => e.cables)
        .sort((a, b) => a - b),
    ).toEqual([LEAVES, SERVERS * GPUS]);
    // A group's devices are all its members' devices.
    expect(fabricMembers(d, groups, `g${leaves}`)).toHaveLength(LEAVES);
  });

  it("leaves small fabrics drawn one node per device", () => {
    const small = displayGraph({
      ...g,
      nodes: { ...g.nodes, kind: g.nodes.kind.map((k) => (k === 0 ? 1 : k)) },
    });
    expect(small.aggregated).toBe(false);
    expect(groupDisplayGraph(small, 0)).toBeUndefined();
    // One drawn edge per cable, parallel ones included.
    const v = view(small, edgeStats(g, small), undefined, new Set());
    expect(v.edges).toHaveLength(small.edges.length);
    expect(v.nodes).toHaveLength(small.names.length);
  });
});
