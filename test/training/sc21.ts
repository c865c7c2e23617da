// The SC'21 weak-scaling rows (Narayanan et al., Table 1; data/calibration/
// megatron_sc21_a100_weak_scaling.csv) as training scenarios: GPT, seq 2048, vocab 51,200, full recompute,
// DGX A100 80GB nodes (NVLink3, 8× HDR 200G per node), QM8700 fabric. Micro-batch sizes and interleaving
// are those of Megatron-LM's examples/sc21/run_table_1.sh for the same rows.
import path from "node:path";
import { setupNetwork } from "../../src/run.js";
import { loadScenario } from "../../src/scenario/load.js";
import type { ModelSpec, Scenario } from "../../src/scenario/types.js";
import type { Fabric } from "../../src/topology/fabric.js";
import { type CommModel, collectiveCommModel } from "../../src/workload/training/index.js";
import { REPO_ROOT, readDataCsv } from "../helpers/data.js";
import { trainingScenario } from "./fixtures.js";

export const SC21_CSV = "calibration/megatron_sc21_a100_weak_scaling.csv";

/** run_table_1.sh: micro-batch size and layers per virtual pipeline stage, by model size. */
const RUN_TABLE_1: Record<string, { microBatch: number; layersPerVirtualStage?: number }> = {
  "1.7": { microBatch: 16 },
  "3.6": { microBatch: 16 },
  "7.5": { microBatch: 16 },
  "18.4": { microBatch: 8 },
  "39.1": { microBatch: 4 },
  "76.1": { microBatch: 2, layersPerVirtualStage: 5 },
  "145.6": { microBatch: 2, layersPerVirtualStage: 5 },
  "310.1": { microBatch: 1, layersPerVirtualStage: 3 },
  "529.6": { microBatch: 1, layersPerVirtualStage: 1 },
  "1008.0": { microBatch: 1 },
};

export interface Sc21Row {
  params: string;
  scenario: Scenario;
  paperTflops: number;
}

export function gptModel(name: string, layers: number, hidden: number, heads: number): ModelSpec {
  return {
    name,
    layers,
    hidden,
    heads,
    kvHeads: heads,
    headDim: hidden / heads,
    ffnHidden: 4 * hidden,
    gatedMlp: false,
    vocab: 51200,
    seqLength: 2048,
  };
}

export function sc21Rows(): Sc21Row[] {
  return readDataCsv(SC21_CSV).map((r) => {
    const layers = Number(r.num_layers);
    const tp = Number(r.tp);
    const pp = Number(r.pp);
    const gpus = Number(r.num_gpus);
    const run = RUN_TABLE_1[r.params_billion];
    const vpp = run.layersPerVirtualStage ? layers / pp / run.layersPerVirtualStage : 1;
    const scenario = trainingScenario(
      `Megatron SC'21 GPT ${r.params_billion}B on ${gpus} A100`,
      {
        accelerator: "A100-SXM4-80GB",
        nodes: gpus / 8,
        scaleUp: "nvlink3",
        nics: { count: 8, bandwidth: 25e9 },
        switch: "QM8700",
        tiers: 3,
      },
      {
        model: gptModel(`gpt-${r.params_billion}b`, layers, Number(r.hidden_size), Number(r.attention_heads)),
        parallelism: { tp, pp, dp: gpus / (tp * pp), vpp },
        microBatch: run.microBatch,
        globalBatch: Number(r.global_batch_size),
        recompute: "full",
      },
    );
    return { params: r.params_billion, scenario, paperTflops: Number(r.tflops_per_gpu) };
  });
}

/** examples/validation/megatron-sc21-<params>b.yaml of a CSV row (1008.0 → 1008b). */
export function sc21File(params: string): string {
  const tag = params.endsWith(".0") ? params.slice(0, -2) : params;
  return path.join(REPO_ROOT, "examples", "validation", `megatron-sc21-${tag}b.yaml`);
}

export interface LoadedCase {
  params: string;
  paperTflops: number;
  scenario: Scenario;
  fabric: Fabric;
  comm: CommModel;
}

/** Every row's validation file, loaded, with its built fabric and the collective algorithms over it. */
export function sc21Cases(fidelity: "analytical" | "flow" = "analytical"): LoadedCase[] {
  return readDataCsv(SC21_CSV).map((r) => {
    const scenario = loadScenario(sc21File(r.params_billion));
    scenario.simulation.fidelity = fidelity;
    const net = setupNetwork(scenario);
    return {
      params: r.params_billion,
      paperTflops: Number(r.tflops_per_gpu),
      scenario,
      fabric: net.fabric,
      comm: collectiveCommModel(net.collectives),
    };
  });
}
