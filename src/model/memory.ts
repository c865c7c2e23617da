/**
 * Memory per rank of a training job: weights, gradients, optimizer state (mixed-precision Adam, sharded by
 * ZeRO stage, Rajbhandari et al. SC'20) and activations (Korthikanti et al., arXiv 2205.05198, generalized
 * to GQA, gated MLPs, MoE and MLA). The stage that needs the most is reported. Formulas in
 * docs/training-model.md, "Memory per rank".
 */
import type { ModelSpec, ParallelismSpec, Recompute } from "../scenario/types.js";
import { layerDims } from "./dims.js";
import type { AttentionKernel } from "./layer-ops.js";
import { parameterCount } from "./params.js";
import { stageChunks, warmupCount } from "./partition.js";

/** Mixed-precision Adam, bytes per parameter (Rajbhandari et al.): BF16 weights and gradients, FP32 master + 2 moments. */
export const BYTES_PER_PARAM = { weights: 2, gradients: 2, optimizer: 12 };

export interface MemoryInputs {
  model: ModelSpec;
  parallelism: ParallelismSpec;
  microBatch: number;
  /** Micro-batches per step (bounds the activations in flight). */
  microBatches: number;
  recompute: Recompute;
  attention: AttentionKernel;
  /** DualPipe: two stages per rank (2× parameters) and pp + 1 micro-batches of activations in flight. */
  schedule?: "1f1b" | "dualpipe";
}

export interface MemoryPerRank {
  weights: number;
  gradients: number;
  optimizer: number;
  activations: number;
  total: number;
  /** The pipeline stage these figures are for (the one that needs the most). */
  stage: number;
}

/**
 * Activation bytes one layer keeps for the backward pass, per micro-batch, on one rank, without
 * recomputation (Korthikanti et al. §4.1: 34·sbh + 5·a·s²·b for GPT, here per tensor so GQA, gated MLPs,
 * MoE and MLA follow). `withScores` keeps the softmax/dropout tensors (unfused attention, no recomputation).
 */
export function layerActivationBytes(
  model: ModelSpec,
  moe: boolean,
  p: ParallelismSpec,
  microBatch: number,
  withScores: boolean,
): number {
  const d = layerDims(model);
  const h = model.hidden;
  const tp = p.tp;
  const T = (microBatch * model.seqLength) / p.cp;
  const rep = p.sequenceParallel ? tp : 1; // what sequence parallelism splits
  const mask = d.dropout ? 1 : 0;
  // attention block: QKV input, Q, K, V, output-projection input, dropout mask; MLA adds its latents
  let attn = (2 * T * h) / rep + (2 * T * (d.qDim + d.kDim + d.vDim + d.oDim)) / tp + (mask * T * h) / rep;
  if (model.mla) attn += 2 * T * (model.mla.qLoraRank + model.mla.kvLoraRank + model.mla.ropeDim);
  if (withScores) {
    const probs = (microBatch * model.heads * (model.seqLength / p.cp) * model.seqLength) / tp;
    attn += probs * (d.dropout ? 5 : 2);
  }
  const norms = (2 * 2 * T * h) / rep;
  let mlp: number;
  const up = d.mlpMatrices - 1;
  if (moe && model.moe) {
    const m = model.moe;
    const local = T / tp;
    const routed = local * m.topK;
    mlp = 2 * local * h + 2 * routed * h + 2 * routed * (up + 1) * m.expertFfnHidden + mask * local * h;
    const shared = m.sharedExperts * m.expertFfnHidden;
    if (shared > 0) mlp += (2 * T * (up + 1) * shared) / tp;
  } else {
    mlp = (2 * T * h) / rep + (2 * T * (up + 1) * model.ffnHidden) / tp + (mask * T * h) / rep;
  }
  return attn + norms + mlp;
}

/** Parameters one rank of a stage holds: dense (split by tp) and routed-expert (split by ep · etp) parts. */
export function stageParams(
  model: ModelSpec,
  p: ParallelismSpec,
  stage: number,
): { dense: number; expert: number } {
  const pc = parameterCount(model);
  let dense = 0;
  let expert = 0;
  for (const c of stageChunks(model, p.pp, p.vpp, stage)) {
    dense += c.dense * (pc.attentionPerLayer + pc.denseMlpPerLayer);
    dense += c.moe * (pc.attentionPerLayer + pc.moeMlpPerLayer - pc.routedExpertsPerLayer);
    expert += (c.moe * pc.routedExpertsPerLayer) / (p.ep * (p.etp ?? 1));
    if (c.embedding) dense += pc.embedding;
    // the last stage holds the output projection; tied embeddings keep a copy there (Megatron-LM)
    if (c.output)
      dense += pc.output + (layerDims(model).tiedEmbeddings && p.pp > 1 ? model.vocab * model.hidden : 0);
  }
  return { dense: dense / p.tp, expert };
}

/**
 * Chunk-micro-batches of activations stage `stage` holds at its peak under (interleaved) 1F1B: its warm-up
 * forwards plus the one in flight (Korthikanti et al.: p micro-batches on the first stage of plain 1F1B,
 * × (1 + (p−1)/(p·v)) interleaved).
 */
export function inFlightChunks(pp: number, vpp: number, stage: number, microBatches: number): number {
  return Math.min(microBatches * vpp, warmupCount(pp, vpp, microBatches, stage) + 1);
}

function stageMemory(inputs: MemoryInputs, stage: number): MemoryPerRank {
  const { model, parallelism: p, microBatch, recompute } = inputs;
  const dual = inputs.schedule === "dualpipe";
  const stages = dual ? [stage, p.pp - 1 - stage] : [stage];
  let dense = 0;
  let expert = 0;
  for (const s of stages) {
    const sp = stageParams(model, p, s);
    dense += sp.dense;
    expert += sp.expert;
  }
  const dpShards = p.dp * p.cp;
  const expertShards = expertReplicas(p);
  const w = BYTES_PER_PARAM;
  const weights =
    w.weights * (dense / (p.zero >= 3 ? dpShards : 1) + expert / (p.zero >= 3 ? expertShards : 1));
  const gradients =
    w.gradients * (dense / (p.zero >= 2 ? dpShards : 1) + expert / (p.zero >= 2 ? expertShards : 1));
  const optimizer =
    w.optimizer * (dense / (p.zero >= 1 ? dpShards : 1) + expert / (p.zero >= 1 ? expertShards : 1));

  const chunks = stages.flatMap((s) => stageChunks(model, p.pp, p.vpp, s));
  const perChunkLayers = Math.max(...chunks.map((c) => c.dense + c.moe));
  const inFlight = dual
    ? Math.min(inputs.microBatches, p.pp + 1)
    : inFlightChunks(p.pp, p.vpp, stage, inputs.microBatches);
  const scores = inputs.attention === "unfused" && recompute === "none";
  let worstLayer = 0;
  let kept = 0;
  let chunkSum = 0;
  for (const c of chunks) {
    const denseA = layerActivationBytes(model, false, p, microBatch, scores);
    const moeA = c.moe > 0 ? layerActivationBytes(model, true, p, microBatch, scores) : 0;
    worstLayer = Math.max(worstLayer, c.dense > 0 ? denseA : 0, moeA);
    chunkSum += c.dense * denseA + c.moe * moeA;
  }
  const avgChunk = chunkSum / chunks.length;
  const T = (microBatch * model.seqLength) / p.cp;
  if (recompute === "full") {
    // each layer keeps only its input; one layer's activations live while it is recomputed
    const input = (2 * T * model.hidden) / (p.sequenceParallel ? p.tp : 1);
    kept = inFlight * perChunkLayers * input + worstLayer;
  } else {
    kept = inFlight * avgChunk;
  }
  if (chunks.some((c) => c.output)) kept += (4 * T * model.vocab) / p.tp; // FP32 logits of one micro-batch
  const activations = kept;
  return {
    weights,
    gradients,
    optimizer,
    activations,
    total: weights + gradients + optimizer + activations,
    stage,
  };
}

/** Memory per rank at the stage that needs the most. */
export function memoryPerRank(inputs: MemoryInputs): MemoryPerRank {
  let worst: MemoryPerRank | undefined;
  for (let s = 0; s < inputs.parallelism.pp; s++) {
    const m = stageMemory(inputs, s);
    if (!worst || m.total > worst.total) worst = m;
  }
  return worst as MemoryPerRank;
}

/**
 * Expert-data-parallel replicas of one expert shard (over which ZeRO shards expert weights): cp·dp / ep,
 * or tp·cp·dp / (etp·ep) when expert parallelism is folded over tensor ranks too (src/workload/training/
 * expert-layout.ts).
 */
export function expertReplicas(p: ExpertShape & { tp: number }): number {
  const etp = p.etp ?? 1;
  return Math.max(1, expertsFolded(p) ? (p.tp * p.cp * p.dp) / (etp * p.ep) : (p.cp * p.dp) / p.ep);
}

/** What decides the experts' layout over a stage's ranks. */
export interface ExpertShape {
  cp: number;
  dp: number;
  ep: number;
  etp?: number;
}

/**
 * The experts are folded over the stage's whole tp·cp·dp block (etp fastest, then ep, then edp) when
 * expert tensor parallelism is on or ep does not divide cp·dp; else they sit in the data×context ranks
 * (src/workload/training/expert-layout.ts).
 */
export function expertsFolded(p: ExpertShape): boolean {
  return (p.etp ?? 1) > 1 || (p.ep > 1 && (p.cp * p.dp) % p.ep !== 0);
}
