// The htsim default topology against htsim's own tail flow completion times. Tolerance: 5% on the tail
// (largest) FCT.
// - NSCC: data/README.md (htsim_uec -tm FILE -sender_cc_only).
// - RCCC and NSCC+RCCC: htsim's validation outputs in the Ultra Ethernet Consortium's htsim repository
//   (github.com/ultraethernet/uet-htsim, htsim/sim/datacenter/validate_outputs/validate_uec_rcv.out and
//   validate_uec_both.out: htsim_uec -tm FILE -receiver_cc_only, and -sender_cc -receiver_cc).
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeRouter } from "../../src/routing/index.js";
import { loadScenario } from "../../src/scenario/load.js";
import type { CongestionControl } from "../../src/scenario/types.js";
import { buildScenarioFabric } from "../../src/topology/build.js";
import { runTraffic } from "../../src/workload/traffic/run.js";
import { REPO_ROOT } from "../helpers/data.js";

interface Case {
  example: string;
  cc: CongestionControl;
  htsimTailUs: number;
  flows: number;
}

const CASES: Case[] = [
  { example: "htsim-default-one.yaml", cc: "nscc", htsimTailUs: 176.2, flows: 1 },
  { example: "htsim-default-incast.yaml", cc: "nscc", htsimTailUs: 2478.5, flows: 15 },
  { example: "htsim-default-perm128.yaml", cc: "nscc", htsimTailUs: 202.0, flows: 128 },
  { example: "htsim-default-one.yaml", cc: "rccc", htsimTailUs: 177.368, flows: 1 },
  { example: "htsim-default-incast.yaml", cc: "rccc", htsimTailUs: 2464.44, flows: 15 },
  { example: "htsim-default-one.yaml", cc: "nscc+rccc", htsimTailUs: 177.368, flows: 1 },
  { example: "htsim-default-incast.yaml", cc: "nscc+rccc", htsimTailUs: 2462.92, flows: 15 },
];
const TOLERANCE = 0.05;

describe("packet engine vs htsim, default topology", () => {
  for (const c of CASES) {
    it(`${c.example} with ${c.cc}: tail FCT within 5% of htsim's ${c.htsimTailUs} us`, () => {
      const scenario = loadScenario(path.join(REPO_ROOT, "examples", c.example));
      scenario.cluster.transport.congestionControl = c.cc;
      const fabric = buildScenarioFabric(scenario);
      const router = makeRouter(fabric, {
        loadBalancing: "spray",
        railAware: false,
        seed: scenario.simulation.seed,
      });
      const r = runTraffic(scenario, fabric, router, "packet");
      const err = (r.fctUs.max - c.htsimTailUs) / c.htsimTailUs;
      console.table([
        {
          case: c.example,
          cc: c.cc,
          htsimUs: c.htsimTailUs,
          weftUs: +r.fctUs.max.toFixed(2),
          errorPct: +(err * 100).toFixed(2),
        },
      ]);
      expect(r.flows).toHaveLength(c.flows);
      expect(r.warnings).toEqual([]);
      expect(Math.abs(err)).toBeLessThan(TOLERANCE);
    });
  }
});
