// The H100 rows of NVIDIA's DGX Cloud benchmarking recipes (data/calibration/dgxc_h100_training_405b_340b.csv)
// as training scenarios: DGX H100 nodes (8 × H100 on NVLink 4, 8 × 400G NDR per node), a non-blocking
// QM9700 fat-tree, the recipe's parallel layout (TP, PP, CP, VP; micro-batch 1; the global batch of the
// row), NeMo's defaults for these recipes: sequence parallelism, the distributed optimizer (ZeRO-1),
// TP communication overlapped with the GEMMs, fused attention, no activation recomputation.

import { MODEL_PRESETS } from "../../src/catalog/model-presets.js";
import type { ModelSpec, Scenario } from "../../src/scenario/types.js";
import { readDataCsv } from "../helpers/data.js";
import { trainingScenario } from "../training/fixtures.js";

export const DGXC_CSV = "calibration/dgxc_h100_training_405b_340b.csv";

/**
 * Nemotron-4 340B (NVIDIA, "Nemotron-4 340B Technical Report", 2024, Table 1; the recipe's README): 96
 * layers, hidden 18,432, 96 query / 8 KV heads, FFN 73,728 with squared-ReLU (not gated), vocab 256,000.
 */
export const NEMOTRON4_340B: ModelSpec = {
  name: "nemotron4-340b",
  layers: 96,
  hidden: 18432,
  heads: 96,
  kvHeads: 8,
  headDim: 192,
  ffnHidden: 73728,
  gatedMlp: false,
  vocab: 256000,
  seqLength: 4096,
};

export interface DgxcRow {
  label: string;
  precision: "bf16" | "fp8";
  gpus: number;
  stepTimeS: number;
  scenario: Scenario;
}

function model(name: string, layers: number, seq: number): ModelSpec {
  const base = name.startsWith("llama") ? MODEL_PRESETS["llama3-405b"] : NEMOTRON4_340B;
  return { ...base, layers, seqLength: seq };
}

export function dgxcRows(): DgxcRow[] {
  return readDataCsv(DGXC_CSV).map((r) => {
    const gpus = Number(r.gpus);
    const tp = Number(r.tp);
    const pp = Number(r.pp);
    const cp = Number(r.cp) || 1;
    const vpRaw = Number(r.vp);
    const vpp = Number.isFinite(vpRaw) && vpRaw > 0 && pp > 1 ? vpRaw : 1;
    const layers = Number(r.layers);
    const precision = r.dtype === "fp8" ? "fp8" : "bf16";
    const label = `${r.model} ${r.dtype} ${gpus}`;
    const scenario = trainingScenario(
      label,
      {
        accelerator: "H100-SXM",
        nodes: gpus / 8,
        scaleUp: "nvlink4",
        nics: { count: 8, bandwidth: 50e9 },
        switch: "QM9700",
        tiers: gpus > 2048 ? 3 : 2,
      },
      {
        model: model(r.model, layers, Number(r.seq_len)),
        parallelism: { tp, pp, cp, vpp, dp: gpus / (tp * pp * cp), zero: 1, sequenceParallel: tp > 1 },
        microBatch: 1,
        globalBatch: Number(r.gbs),
        recompute: "selective",
        precision,
      },
    );
    return { label, precision, gpus, stepTimeS: Number(r.step_time_s), scenario };
  });
}
