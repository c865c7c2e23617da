import { describe, expect, it } from "vitest";
import { resolveFailures } from "../../src/sim/failures.js";
import { buildFabric } from "../../src/topology/build.js";
import { LinkTier } from "../../src/topology/fabric.js";
import { htsimDefaultCluster } from "../../src/workload/traffic/htsim-topology.js";

const fabric = buildFabric(htsimDefaultCluster(16));
const { links, nodes } = fabric;
const name = (l: number) => `${nodes.names[links.from[l]]}->${nodes.names[links.to[l]]}`;

describe("scenario failures to fabric links", () => {
  it("count cables of a tier, both directions, chosen by the seed", () => {
    const [f] = resolveFailures(
      fabric,
      [{ at: 1e-6, target: { kind: "links", tier: "spine", count: 3 }, degrade: 1 }],
      7,
    );
    expect(f.atS).toBe(1e-6);
    expect(f.links).toHaveLength(6);
    const ls = Array.from(f.links);
    for (let i = 0; i < ls.length; i += 2) {
      expect(links.tier[ls[i]]).toBe(LinkTier.spine);
      expect(ls[i + 1]).toBe(links.reverse[ls[i]]);
    }
    expect(new Set(ls).size).toBe(6);
    const again = resolveFailures(
      fabric,
      [{ at: 0, target: { kind: "links", tier: "spine", count: 3 }, degrade: 1 }],
      7,
    );
    expect(Array.from(again[0].links)).toEqual(ls);
    expect(() =>
      resolveFailures(fabric, [{ at: 0, target: { kind: "links", tier: "core", count: 99 }, degrade: 1 }], 1),
    ).toThrow(/99 core cables asked to fail, the fabric has 16/);
  });

  it("a cable by name and a whole switch", () => {
    const [up1] = resolveFailures(
      fabric,
      [{ at: 0, target: { kind: "link", name: "leaf-0:up-1" }, degrade: 0.5 }],
      1,
    );
    expect(up1.degrade).toBe(0.5);
    expect(name(up1.links[0])).toMatch(/^leaf-0->spine-/);
    expect(links.up[up1.links[0]]).toBe(1);
    const [pair] = resolveFailures(
      fabric,
      [{ at: 0, target: { kind: "link", name: "leaf-0:host-n1" }, degrade: 1 }],
      1,
    );
    expect(name(pair.links[0])).toBe("leaf-0->host-n1");
    const [sw] = resolveFailures(
      fabric,
      [{ at: 0, target: { kind: "switch", name: "core-0" }, degrade: 1 }],
      1,
    );
    expect(sw.links).toHaveLength(2 * 4);
    expect(() =>
      resolveFailures(fabric, [{ at: 0, target: { kind: "link", name: "leaf-0:up-9" }, degrade: 1 }], 1),
    ).toThrow(/leaf-0 has no up-link number 9/);
    expect(() =>
      resolveFailures(fabric, [{ at: 0, target: { kind: "switch", name: "leaf-99" }, degrade: 1 }], 1),
    ).toThrow(/no node named "leaf-99"/);
    expect(() =>
      resolveFailures(fabric, [{ at: 0, target: { kind: "switch", name: "host-n0" }, degrade: 1 }], 1),
    ).toThrow(/not a switch/);
  });
});
