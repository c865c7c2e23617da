// Cable media by run length: the first cable assembly of the link's speed whose catalog reach covers the
// run (DAC, then ACC, then AOC), else fiber with a transceiver at each end. Runs come from the floor plan:
// leaves stand in a network rack at the end of each row, so node-to-leaf runs are ≥ 4.6 m and stay
// optical at 400G (the catalog's DACs reach 2-3 m); only switches sharing a rack are DAC reach apart. The
// bill of materials counts exactly the parts the cabling export lists.
import { describe, expect, it } from "vitest";
import { builtinCatalog } from "../../src/catalog/index.js";
import { exportFabric } from "../../src/control/export/index.js";
import { parseScenario } from "../../src/scenario/load.js";
import type { ClusterSpec } from "../../src/scenario/types.js";
import { buildFabric } from "../../src/topology/build.js";
import { IN_RACK_RUN_M } from "../../src/topology/floor-plan.js";
import { pickModule } from "../../src/topology/optics.js";
import { cluster, gpuGroup, switchSpec } from "../topology/fixtures.js";

const catalog = builtinCatalog();

function plan(c: ClusterSpec, optics = catalog.optics) {
  const fabric = buildFabric(c, { catalog: { optics } });
  const [file] = exportFabric({ name: "t", cluster: c, catalog: { optics } }, fabric, "cabling");
  const [header, ...lines] = file.content.trim().split("\n");
  const cols = header.split(",");
  const rows = lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i], v])));
  return { rows, bom: fabric.bom };
}

const fatTree = (nodes: number, gbps: number, radix: number, tiers?: 2 | 3) =>
  cluster([gpuGroup("gpu", nodes, 8, { count: 8, gbps })], {
    topology: "fat-tree",
    switch: switchSpec(radix, gbps),
    ...(tiers ? { tiers } : {}),
  });

describe("cable media by run length", () => {
  it("switches sharing a rack: a passive DAC, no transceivers; between racks: fiber", () => {
    // 8 spines and 4 cores fill one network rack: every spine-core run stays inside it.
    const { rows, bom } = plan(fatTree(4, 400, 8, 3));
    const core = rows.filter((r) => r.tier === "core");
    expect(core.length).toBe(32);
    for (const r of core) {
      expect(r).toMatchObject({ media: "DAC", cable_part: "400G-DAC", a_transceiver: "", z_transceiver: "" });
      expect(Number(r.length_m)).toBeCloseTo(IN_RACK_RUN_M, 1);
      expect(r.length_class_m).toBe("2");
    }
    for (const r of rows.filter((x) => x.tier !== "core")) {
      expect(r.media).toBe("fiber");
      expect(Number(r.length_m)).toBeGreaterThan(catalog.optics["400G-DAC"].reachM);
    }
    // One DAC per cable; the 64 fiber cables take 32 NIC modules and 48 twin-port switch modules.
    expect(bom.optics).toEqual({ "400G-DAC": 32, "400G-DR4": 32, "800G-DR8": 48 });
    // A DAC draws no power by design: no warning about a missing power figure.
    expect(bom.warnings.some((w) => w.includes("400G-DAC"))).toBe(false);
  });

  it("node-to-leaf runs are optical at 400G: the nearest compute rack is 4.6 m from its leaf", () => {
    const { rows } = plan(fatTree(64, 400, 64));
    const leaf = rows.filter((r) => r.tier === "leaf");
    expect(Math.min(...leaf.map((r) => Number(r.length_m)))).toBeCloseTo(4.6, 6);
    expect(new Set(leaf.map((r) => r.media))).toEqual(new Set(["fiber"]));
  });

  it("an active copper cable where it reaches and no DAC does (800G, the rack beside the leaves)", () => {
    const { rows, bom } = plan(fatTree(64, 800, 64));
    const acc = rows.filter((r) => r.media === "ACC");
    expect(acc.length).toBe(32); // the 4 servers × 8 NICs of the rack next to the network rack
    for (const r of acc) {
      expect(r).toMatchObject({ cable_part: "800G-ACC", length_m: "4.6", a_transceiver: "" });
      expect(Number(r.length_m)).toBeGreaterThan(catalog.optics["800G-DAC"].reachM);
    }
    expect(bom.optics["800G-ACC"]).toBe(32);
    // 2.5 W at each end of each ACC (catalog: per end), priced once per cable.
    const fiberPower = bom.powerW.optics - 32 * 2 * 2.5;
    expect(fiberPower).toBe(480 * 17 + 752 * 25);
  });

  it("an active optical cable within its reach: one part per cable, powered at both ends", () => {
    const { rows, bom } = plan(fatTree(8, 200, 16));
    expect(new Set(rows.map((r) => r.media))).toEqual(new Set(["AOC"]));
    expect(bom.optics).toEqual({ "200G-AOC": rows.length });
    expect(bom.powerW.optics).toBe(rows.length * 2 * 6);
    expect(bom.costUsd.optics).toBe(rows.length * 400);
  });

  it("the catalog's reach decides: a scenario's own DAC of 10 m takes every run it covers", () => {
    const scenario = parseScenario(
      `name: own dac
cluster:
  groups: [{ name: gpu, nodes: 32, accelerator: H100-SXM, acceleratorsPerNode: 8, scaleUp: nvlink4, nics: { count: 8, bandwidth: 400Gbps } }]
  scaleOut: { topology: fat-tree, tiers: 2, switch: QM9700 }
workload: { collective: { op: all-reduce, sizes: [1GiB] } }
hardware:
  optics:
    dac-10m: { bandwidth: 400Gbps, powerW: 0, priceUsd: 90, reachM: 10, copper: true }
`,
      "<test>",
    );
    expect(scenario.catalog.optics["dac-10m"].cable).toBe("DAC"); // copper without `cable` is passive
    const { rows, bom } = plan(scenario.cluster, scenario.catalog.optics);
    const dac = rows.filter((r) => r.media === "DAC");
    expect(dac.length).toBe(64); // racks 6 and 7 of the row: 10.0 and 9.4 m
    for (const r of dac) expect(Number(r.length_m)).toBeLessThanOrEqual(10);
    for (const r of rows.filter((x) => x.media !== "DAC")) expect(Number(r.length_m)).toBeGreaterThan(10);
    expect(bom.optics["dac-10m"]).toBe(64);
  });

  it("a transceiver reaches its run: past 100 m, the shortest reach that covers it", () => {
    expect(pickModule(catalog.optics, 50e9, true, 20).id).toBe("800G-DR8");
    expect(pickModule(catalog.optics, 50e9, true, 150).id).toBe("800G-2xFR4");
    // Breakouts and other assemblies are never transceivers.
    expect(pickModule(catalog.optics, 100e9, false).id).not.toMatch(/DAC|ACC/);
  });
});
