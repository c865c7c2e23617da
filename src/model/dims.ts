/**
 * Derived dimensions of a transformer layer, shared by parameter, FLOP, memory and KV-cache counts so the
 * conventions live in one place. Conventions (docs/training-model.md, "Model conventions"):
 * - GPT-family models (`gatedMlp: false`) tie input and output embeddings, learn position embeddings
 *   (seqLength × hidden), carry biases and two-parameter LayerNorms, and train with dropout;
 * - Llama-family models (`gatedMlp: true`) have untied embeddings, RoPE (no position parameters), no biases,
 *   one-parameter RMSNorms and no dropout.
 * - MLA (DeepSeek) is counted in its explicit (decompressed) training form: queries through a rank-qLoraRank
 *   bottleneck, keys and values through a rank-kvLoraRank bottleneck, query/key heads of headDim + ropeDim,
 *   value heads of headDim.
 */
import type { ModelSpec } from "../scenario/types.js";

export interface LayerDims {
  /** Query width (heads × query/key head dim). */
  qDim: number;
  /** Key width (kvHeads × query/key head dim). */
  kDim: number;
  /** Value width (kvHeads × value head dim). */
  vDim: number;
  /** Attention output width (heads × value head dim). */
  oDim: number;
  /** Query/key head dim used in the score product. */
  qkHeadDim: number;
  /** Value head dim used in the probability × value product. */
  vHeadDim: number;
  /** Matrices in the MLP (3 when gated, else 2). */
  mlpMatrices: number;
  /** The GPT family conventions above. */
  tiedEmbeddings: boolean;
  learnedPositions: boolean;
  biases: boolean;
  dropout: boolean;
}

export function layerDims(model: ModelSpec): LayerDims {
  const gpt = !model.gatedMlp;
  const rope = model.mla?.ropeDim ?? 0;
  const qkHeadDim = model.headDim + rope;
  const vHeadDim = model.headDim;
  return {
    qDim: model.heads * qkHeadDim,
    kDim: model.kvHeads * qkHeadDim,
    vDim: model.kvHeads * vHeadDim,
    oDim: model.heads * vHeadDim,
    qkHeadDim,
    vHeadDim,
    mlpMatrices: model.gatedMlp ? 3 : 2,
    tiedEmbeddings: gpt,
    learnedPositions: gpt,
    biases: gpt,
    dropout: gpt,
  };
}

/** Number of MoE layers (the rest are dense). */
export function moeLayerCount(model: ModelSpec): number {
  if (!model.moe) return 0;
  return Math.max(0, model.layers - model.moe.denseLayers);
}

export function denseLayerCount(model: ModelSpec): number {
  return model.layers - moeLayerCount(model);
}

/** Layer kind of layer `index` (0-based): MoE models keep their first `denseLayers` dense. */
export function isMoeLayer(model: ModelSpec, index: number): boolean {
  return model.moe !== undefined && index >= model.moe.denseLayers;
}
