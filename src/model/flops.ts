/**
 * FLOP counts. Per token, per layer, forward, by op class — Narayanan et al.'s 24h² + 4sh generalized to
 * GQA (K and V projections scale with kvHeads/heads), gated MLPs (3 matrices of h × ffn), MoE (topK routed
 * plus shared experts, plus the router) and MLA. Attention convention: the score and value products are
 * counted over the full s × s matrix (as Narayanan et al. and PaLM's MFU formula do); pass
 * `causal: true` to count only the unmasked half. Backward = 2 × forward. See docs/training-model.md.
 */

import type { OpClass } from "../compute/types.js";
import type { ModelSpec, Recompute } from "../scenario/types.js";
import { denseLayerCount, moeLayerCount } from "./dims.js";
import { layerForwardOps, outputForwardOps, type ShardSpec, selectiveRecomputeOps } from "./layer-ops.js";

export type FlopsByClass = Record<OpClass, number>;

export interface FlopOptions {
  /** Sequence length (default the model's). */
  seqLength?: number;
  /** Count only the unmasked half of the attention products. */
  causal?: boolean;
  /** Attention kernel: selective recomputation adds nothing with fused attention (it keeps no scores). */
  attention?: "flash" | "unfused";
}

function unsharded(
  model: ModelSpec,
  opts: FlopOptions,
  attention: "flash" | "unfused" = "unfused",
): ShardSpec {
  return {
    tp: 1,
    cp: 1,
    ep: 1,
    sequenceParallel: false,
    microBatch: 1,
    seqLength: opts.seqLength ?? model.seqLength,
    attention,
    causal: false,
    fp8: false,
  };
}

function byClass(ops: { cls: OpClass; flops: number }[], perToken: number, causal: boolean): FlopsByClass {
  const out: FlopsByClass = { gemm: 0, attention: 0, elementwise: 0 };
  for (const op of ops) out[op.cls] += op.flops / perToken;
  if (causal) out.attention /= 2;
  return out;
}

/** Forward FLOPs per token of one layer (MoE layer when `moe`), by op class. */
export function layerForwardFlopsPerToken(
  model: ModelSpec,
  moe: boolean,
  opts: FlopOptions = {},
): FlopsByClass {
  const shard = unsharded(model, opts);
  return byClass(layerForwardOps(model, moe, shard), shard.seqLength, opts.causal ?? false);
}

/** Forward FLOPs per token of the output projection (2·h·V) and loss. */
export function outputForwardFlopsPerToken(model: ModelSpec, opts: FlopOptions = {}): FlopsByClass {
  const shard = unsharded(model, opts);
  return byClass(outputForwardOps(model, shard), shard.seqLength, false);
}

/** Matrix-multiply FLOPs (GEMM + attention classes) of one forward pass per token, all layers and logits. */
export function forwardMatmulFlopsPerToken(model: ModelSpec, opts: FlopOptions = {}): number {
  const dense = layerForwardFlopsPerToken(model, false, opts);
  const moeCount = moeLayerCount(model);
  const moe = moeCount > 0 ? layerForwardFlopsPerToken(model, true, opts) : dense;
  const out = outputForwardFlopsPerToken(model, opts);
  return (
    denseLayerCount(model) * (dense.gemm + dense.attention) + moeCount * (moe.gemm + moe.attention) + out.gemm
  );
}

/**
 * Model FLOPs per token of a training step: forward + backward (3 × forward), as MFU counts them.
 */
export function modelFlopsPerToken(model: ModelSpec, opts: FlopOptions = {}): number {
  return 3 * forwardMatmulFlopsPerToken(model, opts);
}

/**
 * Executed matrix FLOPs per token of a training step, recomputation included: full recomputation runs
 * each layer's forward again (not the logits), selective recomputation the attention core. With GPT
 * conventions and full recomputation this is Narayanan et al.'s eq. 3 divided by B·s.
 */
export function executedFlopsPerToken(
  model: ModelSpec,
  recompute: Recompute,
  opts: FlopOptions = {},
): number {
  const base = modelFlopsPerToken(model, opts);
  if (recompute === "none") return base;
  const out = outputForwardFlopsPerToken(model, opts).gemm;
  if (recompute === "full") return base + forwardMatmulFlopsPerToken(model, opts) - out;
  if (opts.attention === "flash") return base;
  const shard = unsharded(model, opts);
  const core = selectiveRecomputeOps(layerForwardOps(model, false, shard));
  let perLayer = 0;
  for (const op of core) if (op.cls !== "elementwise") perLayer += op.flops / shard.seqLength;
  if (opts.causal) perLayer /= 2;
  return base + model.layers * perLayer;
}

/**
 * Narayanan et al. (SC'21) eq. 3: FLOPs of one iteration of a GPT model with full activation
 * recomputation, F = 96·B·s·l·h²·(1 + s/6h + V/16lh).
 */
export function megatronEq3Flops(
  batch: number,
  seq: number,
  layers: number,
  hidden: number,
  vocab: number,
): number {
  const h = hidden;
  return 96 * batch * seq * layers * h * h * (1 + seq / (6 * h) + vocab / (16 * layers * h));
}
