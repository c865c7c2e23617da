// Bill of materials: optics by the documented rule (twin-port modules at switches, one module per NIC
// port, shortest reach of at least 100 m), NIC and switch prices, power totals. Exact arithmetic.
import { describe, expect, it } from "vitest";
import { builtinCatalog } from "../../src/catalog/index.js";
import { buildFabric } from "../../src/topology/build.js";
import { pickModule } from "../../src/topology/optics.js";
import { b200SuperPod, cluster, gpuGroup, NICS, OPTICS, QM9700 } from "./fixtures.js";

describe("bill of materials", () => {
  const f = buildFabric(b200SuperPod(2), { catalog: { optics: OPTICS, nics: NICS } });

  it("counts twin-port 800G modules at the switches and 400G modules at the NICs", () => {
    // 16 leaves and 8 spines, each with all 64 ports in use: 32 twin-port modules per switch.
    expect(f.bom.optics).toEqual({ "800G-DR8": 24 * 32, "400G-DR4": 512 });
  });

  it("prices switches, optics and NICs, and powers accelerators too", () => {
    const cost = f.bom.costUsd;
    expect(cost.switches).toBe(24 * 25_000);
    expect(cost.optics).toBe(768 * 1000 + 512 * 700);
    expect(cost.nics).toBe(512 * 2000);
    expect(cost.accelerators).toBe(0);
    expect(cost.total).toBe(600_000 + 1_126_400 + 1_024_000);
    const power = f.bom.powerW;
    expect(power).toEqual({
      switches: 24 * 750,
      optics: 768 * 17 + 512 * 9,
      nics: 512 * 25,
      accelerators: 512 * 1000,
      total: 18_000 + 17_664 + 12_800 + 512_000,
    });
    // The inline NVLink spec has no chip price: said so, not silently zero.
    expect(f.bom.warnings).toContain("no price for su-switch switch chip: cost leaves them out");
    expect(f.bom.warnings.some((w) => w.includes("unused"))).toBe(false);
  });

  it("prefers the shortest reach of at least 100 m, and counts generic modules without a catalog", () => {
    expect(pickModule(OPTICS, 50e9, true)).toMatchObject({ id: "800G-DR8", linksPerModule: 2 });
    expect(pickModule(OPTICS, 50e9, false)).toMatchObject({ id: "400G-DR4", linksPerModule: 1 });
    expect(pickModule({}, 25e9, true)).toEqual({ id: "optic-200Gbps", linksPerModule: 1 });
    const bare = buildFabric(b200SuperPod(2));
    expect(bare.bom.optics).toEqual({ "optic-400Gbps": 2 * (512 + 512) }); // one module per cable end
    expect(
      bare.bom.warnings.some((w) => w.startsWith("no price for") && w.includes("optic optic-400Gbps")),
    ).toBe(true);
  });

  it("packs the plane links of a split NIC port into one twin-port module", () => {
    const dual = buildFabric(
      cluster([gpuGroup("gpu", 32, 8, { count: 8, gbps: 800 })], {
        topology: "rail-optimized",
        switch: QM9700,
        planes: 2,
      }),
      { catalog: { optics: OPTICS } },
    );
    expect(dual.bom.optics["400G-DR4"]).toBeUndefined();
    // NIC side: 256 ports × 1 twin module; switch side: 2 planes × (8 leaves × 32 ports down + up) / 2.
    expect(dual.bom.optics["800G-DR8"]).toBe(256 + (2 * (8 * 64 + 4 * 64)) / 2);
  });

  it("gives a split NIC port fiber from its twin-port module, never a cable assembly per plane link", () => {
    // 400G NICs split over 2 planes: 200G links. The built-in catalog has a 200G AOC, whose head would take a
    // whole NIC cage per plane link; a 400G module carries both plane links of the port instead.
    const f = buildFabric(
      cluster([gpuGroup("gpu", 32, 8, { count: 8, gbps: 400 })], {
        topology: "fat-tree",
        switch: QM9700,
        planes: 2,
      }),
      { catalog: builtinCatalog() },
    );
    expect(Object.keys(f.bom.optics).some((id) => id.includes("AOC"))).toBe(false);
    // 256 NIC ports × 1 module, and 512 plane links at the leaves, two per module.
    expect(f.bom.optics["400G-DR4"]).toBe(256 + 512 / 2);
  });
});
