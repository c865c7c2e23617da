// The htsim default topology with NSCC against htsim's own tail flow completion times
// (../shared/data/README.md: htsim_uec -tm FILE -sender_cc_only). Tolerance: 5% on the tail (largest) FCT.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeRouter } from "../../src/routing/index.js";
import { loadScenario } from "../../src/scenario/load.js";
import { buildScenarioFabric } from "../../src/topology/build.js";
import { runTraffic } from "../../src/workload/traffic/run.js";
import { REPO_ROOT } from "../helpers/shared.js";

const CASES = [
  { example: "htsim-default-one.yaml", htsimTailUs: 176.2, flows: 1 },
  { example: "htsim-default-incast.yaml", htsimTailUs: 2478.5, flows: 15 },
  { example: "htsim-default-perm128.yaml", htsimTailUs: 202.0, flows: 128 },
];
const TOLERANCE = 0.05;

describe("packet engine vs htsim, default topology, NSCC", () => {
  const rows: Record<string, unknown>[] = [];
  for (const c of CASES) {
    it(`${c.example}: tail FCT within 5% of htsim's ${c.htsimTailUs} us`, () => {
      const scenario = loadScenario(path.join(REPO_ROOT, "examples", c.example));
      const fabric = buildScenarioFabric(scenario);
      const router = makeRouter(fabric, { loadBalancing: "spray", railAware: false, seed: scenario.simulation.seed });
      const r = runTraffic(scenario, fabric, router, "packet");
      const err = (r.fctUs.max - c.htsimTailUs) / c.htsimTailUs;
      rows.push({ case: c.example, htsimUs: c.htsimTailUs, weftUs: +r.fctUs.max.toFixed(2), errorPct: +(err * 100).toFixed(2) });
      console.table([rows[rows.length - 1]]);
      expect(r.flows).toHaveLength(c.flows);
      expect(r.warnings).toEqual([]);
      expect(Math.abs(err)).toBeLessThan(TOLERANCE);
    });
  }
});
