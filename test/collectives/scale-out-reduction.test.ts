/**
 * In-network reduction on the scale-out switches that have it (catalog facts with sources), used by an
 * explicit `in-network` algorithm, and by `auto` only where the scenario enables it.
 */

import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { builtinCatalog } from "../../src/catalog/index.js";
import { collectiveTime } from "../../src/collectives/index.js";
import { parseScenario } from "../../src/scenario/load.js";
import { built, firstRanks } from "./helpers.js";

function scenario(sw: string, enable?: boolean) {
  const doc = {
    name: "sharp",
    cluster: {
      groups: [{ name: "gpu", nodes: 4, accelerator: "H100-SXM", nics: { count: 8, bandwidth: "400Gbps" } }],
      scaleOut: {
        topology: "rail-optimized",
        switch: sw,
        ...(enable !== undefined ? { inNetworkReduction: enable } : {}),
      },
    },
    workload: { collective: { op: "all-reduce", sizes: [1048576] } },
  };
  return stringify(doc);
}

describe("scale-out in-network reduction", () => {
  it("the catalog marks the switches that reduce: Quantum (SHARPv2), Quantum-2 (v3), Quantum-X800 (v4), Tomahawk Ultra", () => {
    const sw = builtinCatalog().switches;
    for (const id of ["QM8700", "QM9700", "Q3400-144x800G", "TH-Ultra-64x800G"]) {
      expect(sw[id].inNetworkReduction, id).toBe(true);
      expect(sw[id].notes ?? sw[id].source, id).toMatch(/SHARP|INC/);
    }
    for (const id of ["TH5-64x800G", "Spectrum4-64x800G"]) expect(sw[id].inNetworkReduction, id).toBeFalsy();
  });

  it("an explicit in-network all-reduce across Quantum-2 domains runs (it used to be refused)", () => {
    const b = built(parseScenario(scenario("QM9700"), "<test>"));
    const t = collectiveTime(b.ctx("analytical"), "all-reduce", firstRanks(32), 2 ** 30, "in-network");
    expect(t.algorithm).toBe("in-network");
    expect(t.timeS).toBeGreaterThan(0);
  });

  it("auto uses it only where the scenario enables it, and then is no slower", () => {
    const off = built(parseScenario(scenario("QM9700"), "<test>"));
    const on = built(parseScenario(scenario("QM9700", true), "<test>"));
    const tOff = collectiveTime(off.ctx("analytical"), "all-reduce", firstRanks(32), 2 ** 33);
    const tOn = collectiveTime(on.ctx("analytical"), "all-reduce", firstRanks(32), 2 ** 33);
    expect(tOff.algorithm).not.toBe("in-network");
    expect(tOn.algorithm).toBe("in-network");
    expect(tOn.timeS).toBeLessThanOrEqual(tOff.timeS);
  });

  it("enabling it on a switch that cannot reduce is an error at the key", () => {
    expect(() => parseScenario(scenario("TH5-64x800G", true), "s.yaml")).toThrow(
      /s\.yaml:\d+:\d+: switch TH5-64x800G does not reduce in the network/,
    );
    const b = built(parseScenario(scenario("TH5-64x800G"), "<test>"));
    expect(() =>
      collectiveTime(b.ctx("analytical"), "all-reduce", firstRanks(32), 2 ** 20, "in-network"),
    ).toThrow(/needs scale-out switches that reduce/);
  });
});
