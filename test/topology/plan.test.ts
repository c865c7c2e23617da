// The plan report: SCENARIO-v1's `weft plan --json` keys, and the terminal table in human units.
import { describe, expect, it } from "vitest";
import { fabricSummary, formatPlanTable, planSummary } from "../../src/report/plan.js";
import { buildFabric } from "../../src/topology/build.js";
import { b200SuperPod, NICS, OPTICS } from "./fixtures.js";

describe("plan summary", () => {
  it("has the contract's keys; a 2-tier fabric has no core", () => {
    const cluster = b200SuperPod(2);
    const f = buildFabric(cluster);
    const s = planSummary(f, {
      name: "two units",
      cluster,
      catalog: { optics: OPTICS, nics: NICS } as never,
    });
    expect(Object.keys(s).sort()).toEqual(
      [
        "accelerators",
        "cables",
        "costUsd",
        "endpoints",
        "links",
        "optics",
        "powerW",
        "scenario",
        "switches",
        "tiers",
        "unusedPorts",
        "warnings",
      ].sort(),
    );
    expect(s.switches).toEqual({ leaf: 16, spine: 8, scaleUp: 128 });
    expect(s.cables).toEqual({ leaf: 512, spine: 512, scaleUp: 512 * 18 });
    expect(s).toMatchObject({ tiers: 2, accelerators: 512, endpoints: 512, links: 512 + 512 + 512 });
    // Priced with the scenario's catalog even though the fabric was built without one.
    expect(s.optics).toEqual({ "800G-DR8": 768, "400G-DR4": 512 });
    expect(s.costUsd.total).toBe(2_750_400);
    expect(fabricSummary(f)).toEqual({
      accelerators: 512,
      endpoints: 512,
      switches: f.bom.switches,
      links: 1536,
    });
  });

  it("prints aligned columns in human units", () => {
    const cluster = b200SuperPod(64);
    const f = buildFabric(cluster, { catalog: { optics: OPTICS, nics: NICS } });
    const text = formatPlanTable(planSummary(f));
    console.log(text);
    expect(text).toContain("core");
    expect(text).toMatch(/total\s+\$117,196,800/);
    expect(text).toMatch(/total\s+\d+\.\d+ MW/);
    const lines = text.split("\n").filter((l) => /^\S*\s+\S/.test(l) && !l.startsWith("-"));
    const ends = new Set(lines.slice(1, 20).map((l) => l.trimEnd().length));
    expect(ends.size).toBe(1); // right-aligned amounts end in one column
  });
});
