// The fabric view's drawn graph: servers become one node each above 4,096 accelerators, and servers cabled
// to the same switches one block when their cables would still be too many to redraw.
import { describe, expect, it } from "vitest";
import { BLOCK_ABOVE, displayGraph, type FabricGraph } from "../../web/src/views/fabric-layout.js";

/** `servers` servers of 2 accelerators and 2 NICs, rail-cabled: NIC k of every server of a unit to leaf k of it. */
function railFabric(servers: number, perUnit: number): FabricGraph {
  const names: string[] = [];
  const kind: number[] = [];
  const tier: number[] = [];
  const server: number[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const add = (name: string, k: number, s: number) => {
    names.push(name);
    kind.push(k);
    tier.push(k === 5 ? 1 : 0);
    server.push(s);
    return names.length - 1;
  };
  const units = Math.ceil(servers / perUnit);
  const leaves = Array.from({ length: units }, (_, u) => [0, 1].map((k) => add(`leaf-${u}-${k}`, 5, -1)));
  for (let s = 0; s < servers; s++) {
    for (let k = 0; k < 2; k++) {
      const acc = add(`gpu-n${s}-a${k}`, 0, s);
      const nic = add(`gpu-n${s}-nic${k}`, 4, s);
      from.push(acc, nic);
      to.push(nic, leaves[Math.floor(s / perUnit)][k]);
    }
  }
  const n = from.length;
  return {
    nodes: { names, kind, tier, group: names.map(() => 0), server },
    kinds: ["accelerator", "memory", "storage", "host", "nic", "switch"],
    tiers: ["none", "leaf"],
    cables: { from, to, tier: Array(n).fill(0), bandwidth: Array(n).fill(5e10), failed: Array(n).fill(0) },
    cableTiers: ["leaf"],
    groups: ["gpu"],
    plan: {
      accelerators: 2 * servers,
      switches: {},
      cables: {},
      optics: {},
      costUsd: {},
      powerW: {},
      warnings: [],
    },
  };
}

describe("the fabric view's drawn graph", () => {
  it("draws each server as one node above 4,096 accelerators, with parallel cables bundled", () => {
    const d = displayGraph(railFabric(2100, 32));
    expect(d.aggregated).toBe(true);
    expect(d.blocks).toBe(false);
    expect(d.role.filter((r) => r === "server")).toHaveLength(2100);
    // Each server's two NIC cables go to two leaves: two edges per server.
    expect(d.edges).toHaveLength(4200);
  });

  it("draws servers cabled to the same leaves as one block once their cables pass BLOCK_ABOVE", () => {
    const servers = BLOCK_ABOVE / 2 + 64;
    const g = railFabric(servers, 32);
    const d = displayGraph(g);
    expect(d.blocks).toBe(true);
    const blocks = Math.ceil(servers / 32);
    expect(d.role.filter((r) => r === "server")).toHaveLength(blocks);
    expect(d.names).toContain("servers 0–31");
    // Every cable is still behind exactly one edge, and a block's members are its servers' devices.
    const cables = d.edges.flatMap((e) => e.cables).sort((a, b) => a - b);
    expect(cables).toEqual(
      Array.from({ length: g.cables.from.length }, (_, c) => c).filter(
        (c) => d.drawnOf[g.cables.from[c]] !== d.drawnOf[g.cables.to[c]],
      ),
    );
    expect(d.members[d.drawnOf[g.nodes.names.indexOf("gpu-n5-a1")]]).toContain(
      g.nodes.names.indexOf("gpu-n31-nic0"),
    );
    expect(d.edges).toHaveLength(2 * blocks);
  });
});
