// Expert tensor parallelism (parallelism.etp, Megatron-Core's expert-tensor-parallel size): each expert's
// FFN split over etp consecutive ranks, etp · ep · edp = tp · cp · dp.
import { describe, expect, it } from "vitest";
import { epGroup, expertDpGroup, expertTpGroup, rankLayout } from "../../src/workload/training/placement.js";
import { moeScenario, runMoe } from "./moe-scenario.js";

const scenario = (parallelism: string) => moeScenario("etp.yaml", parallelism);
const run = (parallelism: string) => runMoe(scenario(parallelism));

describe("expert tensor parallelism", () => {
  it("lays etp consecutive ranks, then ep at stride etp, then the replicas", () => {
    const s = scenario("{ tp: 2, dp: 32, ep: 16, etp: 2 }");
    if (s.workload.kind !== "training") throw new Error("training");
    const l = rankLayout(s.workload.parallelism, 0);
    expect(Array.from(expertTpGroup(l, 0))).toEqual([0, 1]);
    expect(Array.from(epGroup(l, 0))).toEqual(Array.from({ length: 16 }, (_, k) => 2 * k));
    expect(Array.from(expertDpGroup(l, 0))).toEqual([0, 32]); // 64 / (2 · 16) = 2 replicas
  });

  it("halves the expert weights per rank, keeps the FLOPs, and adds its all-gather and reduce-scatter", () => {
    const one = run("{ tp: 2, dp: 32, ep: 16 }");
    const two = run("{ tp: 2, dp: 32, ep: 16, etp: 2 }");
    console.table(
      [one, two].map((r, i) => ({
        etp: i + 1,
        stepS: r.stepTimeS,
        weightsGB: r.memoryPerRankBytes.weights / 1e9,
        epExposedS: r.exposedCommByKind.ep,
      })),
    );
    expect(two.memoryPerRankBytes.weights).toBeLessThan(one.memoryPerRankBytes.weights);
    const causes = two.causes.map((c) => c.collective);
    expect(causes).toContain("all-gather (expert TP)");
    expect(causes).toContain("reduce-scatter (expert TP)");
    expect(one.causes.map((c) => c.collective)).not.toContain("all-gather (expert TP)");
    // same model FLOPs per step, so MFU moves only with time
    expect(two.mfu * two.stepTimeS).toBeCloseTo(one.mfu * one.stepTimeS, 9);
  });

  it("refuses an etp that does not fit, naming the key and the reason", () => {
    expect(() => scenario("{ tp: 2, dp: 32, ep: 16, etp: 3 }")).toThrow(
      /etp\.yaml:\d+:\d+: .*etp 3 must divide the experts' FFN width 1024/,
    );
    expect(() => scenario("{ tp: 2, dp: 32, ep: 64, etp: 2 }")).toThrow(
      /etp × ep = 2 × 64 must divide tp × dp × cp/,
    );
  });
});
