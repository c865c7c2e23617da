/**
 * Published model dimensions. Each preset cites the paper or released configuration its numbers come from;
 * docs/training-model.md explains how the fields are used (and how MLA is approximated for DeepSeek-V3).
 */
import type { ModelSpec } from "./types.js";

/** GPT-3 175B: Brown et al., "Language Models are Few-Shot Learners", 2020, Table 2.1 (n_ctx 2048, BPE vocab 50,257). */
const gpt3_175b: ModelSpec = {
  name: "gpt3-175b",
  layers: 96,
  hidden: 12288,
  heads: 96,
  kvHeads: 96,
  headDim: 128,
  ffnHidden: 4 * 12288,
  gatedMlp: false,
  vocab: 50257,
  seqLength: 2048,
};

/** Llama 3 8B: Meta, "The Llama 3 Herd of Models", 2024, Table 3; meta-llama/Meta-Llama-3-8B config.json. */
const llama3_8b: ModelSpec = {
  name: "llama3-8b",
  layers: 32,
  hidden: 4096,
  heads: 32,
  kvHeads: 8,
  headDim: 128,
  ffnHidden: 14336,
  gatedMlp: true,
  vocab: 128256,
  seqLength: 8192,
};

/** Llama 3 70B: "The Llama 3 Herd of Models", Table 3; meta-llama/Meta-Llama-3-70B config.json. */
const llama3_70b: ModelSpec = {
  name: "llama3-70b",
  layers: 80,
  hidden: 8192,
  heads: 64,
  kvHeads: 8,
  headDim: 128,
  ffnHidden: 28672,
  gatedMlp: true,
  vocab: 128256,
  seqLength: 8192,
};

/** Llama 3.1 405B: "The Llama 3 Herd of Models", Table 3 (126 layers, 16,384 model dim, 53,248 FFN, 128/8 heads). */
const llama3_405b: ModelSpec = {
  name: "llama3-405b",
  layers: 126,
  hidden: 16384,
  heads: 128,
  kvHeads: 8,
  headDim: 128,
  ffnHidden: 53248,
  gatedMlp: true,
  vocab: 128256,
  seqLength: 8192,
};

/** Mixtral 8x7B: Jiang et al., "Mixtral of Experts", 2024, Table 1; mistralai/Mixtral-8x7B-v0.1 config.json. */
const mixtral_8x7b: ModelSpec = {
  name: "mixtral-8x7b",
  layers: 32,
  hidden: 4096,
  heads: 32,
  kvHeads: 8,
  headDim: 128,
  ffnHidden: 14336,
  gatedMlp: true,
  vocab: 32000,
  seqLength: 32768,
  moe: { experts: 8, topK: 2, expertFfnHidden: 14336, sharedExperts: 0, denseLayers: 0 },
};

/**
 * DeepSeek-V3: DeepSeek-AI, "DeepSeek-V3 Technical Report", 2024, §4.2 and deepseek-ai/DeepSeek-V3 config.json:
 * 61 layers, hidden 7168, 128 heads, MLA (q_lora_rank 1536, kv_lora_rank 512, rope dim 64, nope/v head dim 128),
 * 3 dense layers (FFN 18,432), then 1 shared + 256 routed experts (FFN 2,048), 8 active from at most 4 of
 * 8 expert groups (n_group 8, topk_group 4: node-limited routing); vocab 129,280;
 * pre-training sequence length 4K. The multi-token-prediction module is not modelled.
 */
const deepseek_v3: ModelSpec = {
  name: "deepseek-v3",
  layers: 61,
  hidden: 7168,
  heads: 128,
  kvHeads: 128,
  headDim: 128,
  ffnHidden: 18432,
  gatedMlp: true,
  vocab: 129280,
  seqLength: 4096,
  moe: {
    experts: 256,
    topK: 8,
    expertFfnHidden: 2048,
    sharedExperts: 1,
    denseLayers: 3,
    groups: 8,
    groupsPerToken: 4,
  },
  mla: { kvLoraRank: 512, qLoraRank: 1536, ropeDim: 64 },
};

export const MODEL_PRESETS: Record<string, ModelSpec> = {
  "gpt3-175b": gpt3_175b,
  "llama3-8b": llama3_8b,
  "llama3-70b": llama3_70b,
  "llama3-405b": llama3_405b,
  "mixtral-8x7b": mixtral_8x7b,
  "deepseek-v3": deepseek_v3,
};

/** Preset names, in the order the scenario reference lists them. */
export const MODEL_PRESET_NAMES = Object.keys(MODEL_PRESETS);
