// MoE parallel folding (src/workload/training/expert-layout.ts): expert parallelism may span tensor- and
// data-parallel ranks, ep · edp = tp · cp · dp.
import { describe, expect, it } from "vitest";
import { expertsFolded } from "../../src/workload/training/expert-layout.js";
import { epGroup, expertDpGroup, rankLayout, tpGroup } from "../../src/workload/training/placement.js";
import { moeScenario, runMoe } from "./moe-scenario.js";

const scenario = (parallelism: string) => moeScenario("folding.yaml", parallelism);

describe("MoE parallel folding", () => {
  it("EP 64 with TP 2 × DP 32 validates, lays experts over tensor and data ranks, and runs", () => {
    const s = scenario("{ tp: 2, dp: 32, ep: 64 }");
    const w = s.workload;
    if (w.kind !== "training") throw new Error("training");
    const l = rankLayout(w.parallelism, 0);
    expect(expertsFolded(l)).toBe(true);
    const ep = epGroup(l, 0);
    expect(Array.from(ep)).toEqual(Array.from({ length: 64 }, (_, i) => i)); // both ranks of each TP pair
    expect(Array.from(tpGroup(l, 0)).every((r) => ep.includes(r))).toBe(true);
    expect(expertDpGroup(l, 0).length).toBe(1); // ep · edp = tp · dp = 64
    const res = runMoe(s);
    expect(res.stepTimeS).toBeGreaterThan(0);
    expect(res.exposedCommByKind.ep).toBeGreaterThan(0);
  });

  it("keeps the classic layout (EP inside the data-parallel ranks) where ep divides dp", () => {
    const s = scenario("{ tp: 2, dp: 32, ep: 8 }");
    const w = s.workload;
    if (w.kind !== "training") throw new Error("training");
    const l = rankLayout(w.parallelism, 0);
    expect(expertsFolded(l)).toBe(false);
    expect(Array.from(epGroup(l, 0))).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
    expect(expertDpGroup(l, 0).length).toBe(4);
  });

  it("EP 16 with TP 8 × DP 8 folds over two servers' TP groups (16 does not divide dp = 8)", () => {
    const s = scenario("{ tp: 8, dp: 8, ep: 16 }");
    const w = s.workload;
    if (w.kind !== "training") throw new Error("training");
    const l = rankLayout(w.parallelism, 0);
    expect(expertsFolded(l)).toBe(true);
    expect(Array.from(epGroup(l, 0))).toEqual(Array.from({ length: 16 }, (_, i) => i)); // two servers
  });
});
