// Derived parameter counts where people look (`weft validate --print`, the training and serving reports),
// so a mis-specified custom model shows at once next to the published figure.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  formatParameters,
  MODEL_PRESETS,
  modelParameters,
  parameterBreakdown,
} from "../../src/model/index.js";
import { loadScenario } from "../../src/scenario/load.js";
import { weft } from "../cli/run-cli.js";

describe("parameter counts in the printed scenario", () => {
  it("match the published sizes: Llama 3.1 405B, Mixtral 8x7B 46.7B / 12.9B, DeepSeek-V3 671B / 37B", () => {
    const llama = parameterBreakdown(MODEL_PRESETS["llama3-405b"]);
    expect(llama.total).toMatch(/^40[56]\.\d\d B$/);
    expect(llama.total).toBe(llama.active);
    const mix = modelParameters(MODEL_PRESETS["mixtral-8x7b"]);
    expect(mix.total / 1e9).toBeCloseTo(46.7, 0);
    expect(mix.active / 1e9).toBeCloseTo(12.9, 0);
    const ds = modelParameters(MODEL_PRESETS["deepseek-v3"]);
    // 671B without the 14B multi-token-prediction module; 37B activated (DeepSeek-V3 report, §1)
    expect(ds.total / 1e9).toBeGreaterThan(660);
    expect(ds.total / 1e9).toBeLessThan(690);
    expect(ds.active / 1e9).toBeGreaterThan(35);
    expect(ds.active / 1e9).toBeLessThan(40);
    expect(parameterBreakdown(MODEL_PRESETS["deepseek-v3"]).moePerLayer).toMatch(/256 routed \+ 1 shared/);
  });

  it("a gated MLP left out of a custom Llama shows as a third less MLP", () => {
    const right = modelParameters(MODEL_PRESETS["llama3-70b"]);
    const wrong = modelParameters({ ...MODEL_PRESETS["llama3-70b"], gatedMlp: false });
    expect(formatParameters(right.total)).toMatch(/^70\.\d\d B$/);
    expect(wrong.total / right.total).toBeLessThan(0.8);
  });

  it("weft validate --print shows them: Llama 3 8B's shape without gatedMlp is 5.66 B, not 8.03 B", () => {
    const doc = (gated: string) => `name: custom
cluster:
  groups: [{ name: gpu, nodes: 1, accelerator: H100-SXM }]
workload:
  training:
    model: { name: mine, layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffnHidden: 14336, vocab: 128256, seqLength: 8192${gated} }
    parallelism: { tp: 8 }
    microBatch: 1
    globalBatch: 8
`;
    const file = path.join(tmpdir(), `weft-params-${process.pid}.yaml`);
    writeFileSync(file, doc(""));
    const r = weft(["validate", file, "--print"]);
    expect(r.status, r.stderr).toBe(0);
    // The counts stand as a comment above the model, so the printed document still loads back.
    expect(r.stdout).toMatch(/# total: 5\.66 B\n/); // the gated MLP's third matrix is missing
    expect(r.stdout).toMatch(/# attentionPerLayer: .* × 32 layers\n/);
    expect(parse(r.stdout).workload.training.model.name).toBe("mine");
    writeFileSync(file, doc(", gatedMlp: true"));
    const fixed = loadScenario(file).workload;
    if (fixed.kind !== "training") throw new Error("expected a training workload");
    expect(parameterBreakdown(fixed.model).total).toBe("8.03 B");
  });
});
