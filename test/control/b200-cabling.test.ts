// The cabling plan of the DGX B200 SuperPOD compute fabric (data/calibration/dgx_b200_superpod_compute_fabric.csv):
// rows per tier must equal the published cable counts exactly (tolerance 0), and every row names real ports.
import { describe, expect, it } from "vitest";
import { builtinCatalog } from "../../src/catalog/index.js";
import { exportFabric } from "../../src/control/export/index.js";
import { buildFabric } from "../../src/topology/build.js";
import { readDataCsv } from "../helpers/data.js";
import { b200SuperPod } from "../topology/fixtures.js";

const rows = readDataCsv("calibration/dgx_b200_superpod_compute_fabric.csv");

function cablingRows(units: number) {
  const cluster = b200SuperPod(units);
  const fabric = buildFabric(cluster);
  const [file] = exportFabric({ name: "b200", cluster, catalog: builtinCatalog() }, fabric, "cabling");
  const [header, ...lines] = file.content.trim().split("\n");
  const cols = header.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i], v])));
}

describe("cabling plan of the DGX B200 SuperPOD", () => {
  it("has the published number of cables in every tier", () => {
    const table = rows.map((row) => {
      const units = Number(row.scalable_units);
      const cables = cablingRows(units);
      const count = (tier: string) => cables.filter((c) => c.tier === tier).length;
      const published = Number(row.cables_per_tier);
      const hasCore = Number(row.core_switches) > 0;
      return {
        SUs: units,
        built: [count("leaf"), count("spine"), count("core")],
        published: [published, published, hasCore ? published : 0],
      };
    });
    console.table(
      table.map((t) => ({
        SUs: t.SUs,
        "built leaf/spine/core": t.built.join(" / "),
        published: t.published.join(" / "),
      })),
    );
    for (const t of table) expect(t.built).toEqual(t.published);
  }, 120_000);

  it("names both ends by device and port, fiber with transceivers and a length class", () => {
    const cables = cablingRows(2);
    const first = cables[0];
    expect(first.a_device).toBe("gpu-n0-a0"); // one NIC per GPU: the GPU holds its port
    expect(first.a_port).toBe("eth0");
    expect(first.z_device).toBe("leaf-0");
    expect(first.z_port).toMatch(/^Ethernet\d+$/);
    const ends = new Set(cables.flatMap((c) => [`${c.a_device}:${c.a_port}`, `${c.z_device}:${c.z_port}`]));
    expect(ends.size).toBe(2 * cables.length);
    for (const c of cables) {
      expect(Number(c.length_class_m)).toBeGreaterThanOrEqual(Number(c.length_m));
      expect(c.a_transceiver).not.toBe("");
      // Leaves stand in network racks (as in the SuperPOD): no run is within the 400G DAC's 3 m.
      expect(c).toMatchObject({ media: "fiber", cable_part: "" });
      expect(Number(c.length_m)).toBeGreaterThan(3);
    }
    // 400G links: a NIC end takes a 400G module, a switch end a twin-port 800G module (the bill of materials' rule).
    expect(cables.find((c) => c.tier === "spine")?.z_transceiver).toMatch(/^800G/);
    expect(first.a_transceiver).toMatch(/^400G/);
  });
});
