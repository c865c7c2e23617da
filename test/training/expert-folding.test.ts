// MoE parallel folding (src/workload/training/expert-layout.ts): expert parallelism may span tensor- and
// data-parallel ranks, ep · edp = tp · cp · dp.
import { describe, expect, it } from "vitest";
import { setupNetwork } from "../../src/run.js";
import { parseScenario } from "../../src/scenario/load.js";
import { expertsFolded } from "../../src/workload/training/expert-layout.js";
import { collectiveCommModel, runTraining } from "../../src/workload/training/index.js";
import { epGroup, expertDpGroup, rankLayout, tpGroup } from "../../src/workload/training/placement.js";

const MOE =
  "{ name: moe-64e, layers: 16, hidden: 2048, heads: 16, kvHeads: 4, ffnHidden: 8192, gatedMlp: true, vocab: 32000, seqLength: 4096, moe: { experts: 64, topK: 8, expertFfnHidden: 1024, sharedExperts: 1 } }";

function scenario(parallelism: string) {
  return parseScenario(
    `name: folding
cluster:
  groups: [{ name: gpu, nodes: 8, accelerator: H100-SXM, nics: { count: 8, bandwidth: 400Gbps } }]
workload:
  training:
    model: ${MOE}
    parallelism: ${parallelism}
    microBatch: 1
    globalBatch: 64
simulation: { fidelity: analytical, seed: 1 }
`,
    "folding.yaml",
  );
}

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
    const net = setupNetwork(s);
    const res = runTraining(s, { fabric: net.fabric, comm: collectiveCommModel(net.collectives) });
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
