// Every examples/training-*.yaml loads, builds and runs one step on its fabric (closed-form collectives,
// every copy of a group communicating at once), with sane numbers and the expected network story for
// each; the 70B rail-optimized vs 4:1 pair also with the flow engine.
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatTrainingReport } from "../../src/report/training.js";
import { trainingTimelineSvg } from "../../src/report/training-svg.js";
import type { TrainingResults } from "../../src/results/types.js";
import { setupNetwork } from "../../src/run.js";
import { loadScenario } from "../../src/scenario/load.js";
import { fabricCommModels, nonBlockingScenario, runTraining } from "../../src/workload/training/index.js";
import { REPO_ROOT } from "../helpers/data.js";

const dir = path.join(REPO_ROOT, "examples");
const files = readdirSync(dir).filter((f) => f.startsWith("training-") && f.endsWith(".yaml"));

function run(file: string, fidelity: "analytical" | "flow" = "analytical"): TrainingResults {
  const sc = loadScenario(path.join(dir, file));
  sc.simulation.fidelity = fidelity;
  const net = setupNetwork(sc);
  const nb = setupNetwork(nonBlockingScenario(sc));
  return runTraining(sc, { fabric: net.fabric, ...fabricCommModels(sc, net.collectives, nb.collectives) });
}

const results = new Map<string, TrainingResults>();
const get = (f: string) => {
  let r = results.get(f);
  if (!r) {
    r = run(f);
    results.set(f, r);
  }
  return r;
};

describe("training examples", () => {
  it("has the five examples", () => {
    expect(files.sort()).toEqual([
      "training-gpt3-175b-1024-h100.yaml",
      "training-llama3-405b-16k-h100.yaml",
      "training-llama3-70b-512-h100-oversub4.yaml",
      "training-llama3-70b-512-h100-rail.yaml",
      "training-mixtral-8x7b-ep8.yaml",
    ]);
  });

  it.each(files)("%s runs with sane numbers", (file) => {
    const r = get(file);
    expect(r.stepTimeS).toBeGreaterThan(0);
    expect(r.mfu).toBeGreaterThan(0.15);
    expect(r.mfu).toBeLessThan(0.65);
    expect(r.memoryPerRankBytes.total).toBeLessThan(80e9);
    expect(r.whatIf?.nonBlockingStepTimeS).toBeLessThanOrEqual(r.stepTimeS * (1 + 1e-9));
    const text = formatTrainingReport(r);
    expect(text).toMatch(/stage +0 \|/);
    expect(trainingTimelineSvg(r)).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
  });

  it("the 4:1 fat-tree is slower than the rail-optimized fabric, and says the spine is why", () => {
    const rail = get("training-llama3-70b-512-h100-rail.yaml");
    const thin = get("training-llama3-70b-512-h100-oversub4.yaml");
    console.table([
      {
        fabric: "rail-optimized",
        stepS: rail.stepTimeS,
        dpS: rail.exposedCommByKind.dp,
        ppS: rail.exposedCommByKind.pp,
      },
      {
        fabric: "fat-tree 4:1",
        stepS: thin.stepTimeS,
        dpS: thin.exposedCommByKind.dp,
        ppS: thin.exposedCommByKind.pp,
      },
    ]);
    expect(thin.stepTimeS).toBeGreaterThan(rail.stepTimeS);
    expect(thin.whatIf?.speedup).toBeGreaterThan(1);
    expect(thin.whatIf?.nonBlockingStepTimeS).toBeLessThan(thin.stepTimeS);
    expect(thin.causes.some((c) => c.tier === "spine" && c.exposedS > 0)).toBe(true);
  });

  it("the 4:1 fat-tree is slower with the flow engine too (ECMP), and says the spine is why", () => {
    const rail = run("training-llama3-70b-512-h100-rail.yaml", "flow");
    const thin = run("training-llama3-70b-512-h100-oversub4.yaml", "flow");
    console.table([
      { fabric: "rail-optimized", stepS: rail.stepTimeS, nonBlockingS: rail.whatIf?.nonBlockingStepTimeS },
      { fabric: "fat-tree 4:1", stepS: thin.stepTimeS, nonBlockingS: thin.whatIf?.nonBlockingStepTimeS },
    ]);
    expect(thin.stepTimeS).toBeGreaterThan(rail.stepTimeS);
    expect(thin.whatIf?.nonBlockingStepTimeS).toBeLessThan(thin.stepTimeS);
    expect(thin.causes.some((c) => c.tier === "spine" && c.exposedS > 0)).toBe(true);
  });

  it("the MoE example spends exposed time in expert-parallel all-to-all", () => {
    const r = get("training-mixtral-8x7b-ep8.yaml");
    expect(r.exposedCommByKind.ep).toBeGreaterThan(0);
    expect(r.causes[0].kind).toBe("ep");
  });
});
