/**
 * Parameter counts of dense and MoE transformers. Conventions are those of `layerDims` (dims.ts); with GPT
 * conventions the count is Narayanan et al.'s P = 12lh²(1 + 13/12h + (V + s)/12lh) exactly.
 */
import type { ModelSpec } from "../scenario/types.js";
import { denseLayerCount, layerDims, moeLayerCount } from "./dims.js";

export interface ParameterCount {
  /** All parameters. */
  total: number;
  /** Parameters one token touches (MoE: topK routed + shared experts per MoE layer). */
  active: number;
  /** Input embedding (+ learned positions). */
  embedding: number;
  /** Output projection (0 when tied to the input embedding) + final norm. */
  output: number;
  /** Attention block of one layer, its norm included. */
  attentionPerLayer: number;
  /** MLP block of one dense layer, its norm included. */
  denseMlpPerLayer: number;
  /** One routed (or shared) expert. */
  perExpert: number;
  /** MoE block of one MoE layer: all routed experts + shared experts + router + norm. */
  moeMlpPerLayer: number;
  /** The part of a MoE block one token uses. */
  moeMlpActivePerLayer: number;
  /** Routed experts of one MoE layer (the parameters expert parallelism splits). */
  routedExpertsPerLayer: number;
}

/** Parameters of one attention block (projections, biases, the pre-attention norm). */
export function attentionParams(model: ModelSpec): number {
  const d = layerDims(model);
  const h = model.hidden;
  const norm = d.biases ? 2 * h : h;
  if (model.mla) {
    const { qLoraRank, kvLoraRank, ropeDim } = model.mla;
    const q = qLoraRank > 0 ? h * qLoraRank + qLoraRank + qLoraRank * d.qDim : h * d.qDim;
    const kv =
      h * (kvLoraRank + ropeDim) + kvLoraRank + kvLoraRank * model.heads * (model.headDim + d.vHeadDim);
    return q + kv + d.oDim * h + norm;
  }
  const proj = h * (d.qDim + d.kDim + d.vDim) + d.oDim * h;
  const bias = d.biases ? d.qDim + d.kDim + d.vDim + h : 0;
  return proj + bias + norm;
}

/** Parameters of one MLP of inner width `ffn` (without its norm). */
export function mlpParams(model: ModelSpec, ffn: number): number {
  const d = layerDims(model);
  const bias = d.biases ? ffn * (d.mlpMatrices - 1) + model.hidden : 0;
  return d.mlpMatrices * model.hidden * ffn + bias;
}

export function parameterCount(model: ModelSpec): ParameterCount {
  const d = layerDims(model);
  const h = model.hidden;
  const norm = d.biases ? 2 * h : h;
  const attention = attentionParams(model);
  const denseMlp = mlpParams(model, model.ffnHidden) + norm;
  const embedding = model.vocab * h + (d.learnedPositions ? model.seqLength * h : 0);
  const output = (d.tiedEmbeddings ? 0 : model.vocab * h) + norm;

  let perExpert = 0;
  let moeMlp = 0;
  let moeActive = 0;
  let routed = 0;
  if (model.moe) {
    const m = model.moe;
    perExpert = mlpParams(model, m.expertFfnHidden);
    const router = h * m.experts;
    routed = m.experts * perExpert;
    moeMlp = routed + m.sharedExperts * perExpert + router + norm;
    moeActive = (m.topK + m.sharedExperts) * perExpert + router + norm;
  }
  const dense = denseLayerCount(model);
  const moe = moeLayerCount(model);
  const layersTotal = model.layers * attention + dense * denseMlp + moe * moeMlp;
  const layersActive = model.layers * attention + dense * denseMlp + moe * moeActive;
  return {
    total: embedding + output + layersTotal,
    active: embedding + output + layersActive,
    embedding,
    output,
    attentionPerLayer: attention,
    denseMlpPerLayer: denseMlp,
    perExpert,
    moeMlpPerLayer: moeMlp,
    moeMlpActivePerLayer: moeActive,
    routedExpertsPerLayer: routed,
  };
}
