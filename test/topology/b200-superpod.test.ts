// DGX B200 SuperPOD compute fabric (data/calibration/dgx_b200_superpod_compute_fabric.csv): rail-optimized,
// 64-port 400G switches, 8 GPUs and 8x400G NICs per node, 32-node scalable units. Every row must come out
// exactly (tolerance 0): leaves, spines, cores, and cables of each tier.
import { describe, expect, it } from "vitest";
import { buildFabric } from "../../src/topology/build.js";
import { readDataCsv } from "../helpers/data.js";
import { b200SuperPod } from "./fixtures.js";

const rows = readDataCsv("calibration/dgx_b200_superpod_compute_fabric.csv");

describe("DGX B200 SuperPOD compute fabric", () => {
  it("matches every published row exactly", () => {
    expect(rows.length).toBeGreaterThanOrEqual(6);
    const table = rows.map((row) => {
      const units = Number(row.scalable_units);
      const fabric = buildFabric(b200SuperPod(units));
      const { switches, cables } = fabric.bom;
      return {
        SUs: units,
        gpus: `${fabric.accelerators.count} / ${row.gpus}`,
        leaf: `${switches.leaf} / ${row.leaf_switches}`,
        spine: `${switches.spine ?? 0} / ${row.spine_switches}`,
        core: `${switches.core ?? 0} / ${row.core_switches}`,
        "cables leaf": `${cables.leaf} / ${row.cables_per_tier}`,
        "cables spine": `${cables.spine ?? 0} / ${row.cables_per_tier}`,
        "cables core": `${cables.core ?? 0} / ${Number(row.core_switches) ? row.cables_per_tier : 0}`,
        tiers: fabric.tiers,
        built: [
          fabric.accelerators.count,
          switches.leaf,
          switches.spine ?? 0,
          switches.core ?? 0,
          cables.leaf,
          cables.spine ?? 0,
          cables.core ?? 0,
        ],
        expected: [
          Number(row.gpus),
          Number(row.leaf_switches),
          Number(row.spine_switches),
          Number(row.core_switches),
          Number(row.cables_per_tier),
          Number(row.cables_per_tier),
          Number(row.core_switches) ? Number(row.cables_per_tier) : 0,
        ],
      };
    });
    console.log("built / published");
    console.table(table.map(({ built, expected, ...shown }) => shown));
    for (const row of table) expect(row.built).toEqual(row.expected);
  });

  it("uses 2 tiers up to 2,048 GPUs and 3 beyond", () => {
    expect(buildFabric(b200SuperPod(8)).tiers).toBe(2);
    expect(buildFabric(b200SuperPod(16)).tiers).toBe(3);
  });

  it("gives a partial scalable unit the full unit's leaves and leaf-spine cables", () => {
    const full = buildFabric(b200SuperPod(4));
    const cluster = b200SuperPod(4);
    cluster.groups[0].nodes = 3 * 32 + 5; // 3 full units and 5 nodes of a fourth
    const partial = buildFabric(cluster);
    expect(partial.bom.switches.leaf).toBe(full.bom.switches.leaf);
    expect(partial.bom.switches.spine).toBe(full.bom.switches.spine);
    expect(partial.bom.cables.spine).toBe(full.bom.cables.spine);
    expect(partial.bom.cables.leaf).toBe(101 * 8);
    expect(partial.bom.warnings.some((w) => w.startsWith("leaf: 216 of 2,048 ports unused"))).toBe(true);
  });

  it("puts NIC i of every node of a unit on the unit's rail leaf i", () => {
    const fabric = buildFabric(b200SuperPod(2));
    const lay = fabric.layout!;
    const { names } = fabric.nodes;
    const leafOf = (rank: number) => names[lay.portLeaf[lay.portStart[fabric.accelerators.node[rank]]]];
    expect(leafOf(0)).toBe("leaf-0");
    expect(leafOf(5)).toBe("leaf-5");
    expect(leafOf(31 * 8 + 5)).toBe("leaf-5"); // node 31, still unit 0
    expect(leafOf(32 * 8 + 5)).toBe("leaf-13"); // node 32: unit 1
    expect(names[fabric.accelerators.node[32 * 8 + 5]]).toBe("gpu-n32-a5");
  });
});
