/**
 * The kernels of one transformer layer on one rank, forward and backward: GEMMs with their shapes,
 * attention, and the element-wise kernels with the HBM bytes they move. One source of truth for FLOP
 * counts (flops.ts sums these at tp = cp = 1) and for step timing (the compute model times them).
 *
 * Sharding (Megatron-LM conventions): tensor parallelism splits heads and the MLP inner width; sequence
 * parallelism also splits the norms, residual adds and dropouts by tp; context parallelism splits the
 * queries (each rank attends its s/cp queries to all s keys, the ring brings the rest); MoE experts use
 * expert parallelism only (expert tensor parallelism 1), each rank routing its T/tp tokens.
 * Element-wise HBM traffic follows the kernels Megatron-LM runs (fused scale-mask-softmax, fused
 * bias-GeLU, fused bias-dropout-add): see docs/training-model.md, "Kernels of a layer".
 */
import type { ComputeOp } from "../compute/types.js";
import type { ModelSpec } from "../scenario/types.js";
import { layerDims } from "./dims.js";

/** Attention implementation: fused FlashAttention-style kernels, or the unfused GEMM-softmax-GEMM path. */
export type AttentionKernel = "flash" | "unfused";

export interface ShardSpec {
  tp: number;
  cp: number;
  ep: number;
  /** Expert tensor parallelism: each expert's FFN split over etp ranks (absent: 1). */
  etp?: number;
  sequenceParallel: boolean;
  microBatch: number;
  /** Keys each query attends to (the sequence or context length). */
  seqLength: number;
  /**
   * New tokens per sequence in this pass (default seqLength). Training and prefill process the whole
   * sequence; a decode step has queryLength 1 against seqLength keys of KV cache.
   */
  queryLength?: number;
  attention: AttentionKernel;
  /** Causal masking (decoder LMs); fused kernels then skip the masked half of the score matrix. */
  causal: boolean;
  /** Weight GEMMs run in FP8. */
  fp8: boolean;
}

/** Bytes per activation element (BF16/FP16). */
const ACT = 2;

/** Approximate FLOPs per element of the element-wise kernels (reported, never on the critical path). */
const EW_FLOPS = { norm: 8, residual: 2, softmax: 5, dropout: 1, gelu: 8, swiglu: 5, permute: 0, xent: 6 };

function gemm(
  name: string,
  cls: "gemm" | "attention",
  m: number,
  n: number,
  k: number,
  batch: number,
  fp8: boolean,
): ComputeOp {
  const inBytes = fp8 ? 1 : ACT;
  return {
    name,
    cls,
    kernel: "gemm",
    flops: 2 * m * n * k * batch,
    bytes: batch * ((m * k + k * n) * inBytes + m * n * ACT),
    m,
    n,
    k,
    batch,
    fp8: fp8 && cls === "gemm",
  };
}

function memory(name: string, elements: number, bytesPerElement: number, flopsPerElement: number): ComputeOp {
  return {
    name,
    cls: "elementwise",
    kernel: "memory",
    flops: elements * flopsPerElement,
    bytes: elements * bytesPerElement,
  };
}

/** Tokens a rank holds in its GEMMs (T) and in its sequence-parallel regions (T / tp). */
function tokens(s: ShardSpec): { T: number; Tsp: number } {
  const T = (s.microBatch * (s.queryLength ?? s.seqLength)) / s.cp;
  return { T, Tsp: s.sequenceParallel ? T / s.tp : T };
}

function attentionOps(model: ModelSpec, s: ShardSpec): ComputeOp[] {
  const d = layerDims(model);
  const h = model.hidden;
  const { T, Tsp } = tokens(s);
  const tp = s.tp;
  const ops: ComputeOp[] = [memory("norm1", Tsp * h, 2 * ACT, EW_FLOPS.norm)];
  if (model.mla) {
    const { qLoraRank, kvLoraRank, ropeDim } = model.mla;
    if (qLoraRank > 0) {
      ops.push(gemm("q-down", "gemm", T, qLoraRank, h, 1, s.fp8));
      ops.push(gemm("q-up", "gemm", T, d.qDim / tp, qLoraRank, 1, s.fp8));
    } else ops.push(gemm("q", "gemm", T, d.qDim / tp, h, 1, s.fp8));
    ops.push(gemm("kv-down", "gemm", T, kvLoraRank + ropeDim, h, 1, s.fp8));
    ops.push(
      gemm("kv-up", "gemm", T, (model.heads * (model.headDim + d.vHeadDim)) / tp, kvLoraRank, 1, s.fp8),
    );
  } else {
    ops.push(gemm("qkv", "gemm", T, (d.qDim + d.kDim + d.vDim) / tp, h, 1, s.fp8));
  }
  const heads = (s.microBatch * model.heads) / tp;
  const q = (s.queryLength ?? s.seqLength) / s.cp;
  const keys = s.seqLength;
  if (s.attention === "flash") {
    const flops = 2 * heads * q * keys * (d.qkHeadDim + d.vHeadDim);
    const bytes = (ACT * (T * (d.qDim + d.oDim) + s.microBatch * keys * (d.kDim + d.vDim))) / tp;
    ops.push({
      name: "flash-attn",
      cls: "attention",
      kernel: "flash",
      flops,
      bytes,
      executed: s.causal ? 0.5 : 1,
    });
  } else {
    const probs = heads * q * keys;
    ops.push(gemm("scores", "attention", q, keys, d.qkHeadDim, heads, false));
    ops.push(memory("softmax", probs, 2 * ACT, EW_FLOPS.softmax));
    if (d.dropout) ops.push(memory("attn-dropout", probs, 2 * ACT + 1, EW_FLOPS.dropout));
    ops.push(gemm("attn-v", "attention", q, d.vHeadDim, keys, heads, false));
  }
  ops.push(gemm("out", "gemm", T, h, d.oDim / tp, 1, s.fp8));
  ops.push(memory("residual1", Tsp * h, 3 * ACT + (d.dropout ? 1 : 0), EW_FLOPS.residual));
  return ops;
}

function mlpOps(
  model: ModelSpec,
  ffn: number,
  rows: number,
  tp: number,
  fp8: boolean,
  prefix: string,
): ComputeOp[] {
  const d = layerDims(model);
  const h = model.hidden;
  const up = ((d.mlpMatrices - 1) * ffn) / tp;
  const act = model.gatedMlp
    ? memory(`${prefix}swiglu`, (rows * ffn) / tp, 3 * ACT, EW_FLOPS.swiglu)
    : memory(`${prefix}gelu`, (rows * ffn) / tp, 2 * ACT, EW_FLOPS.gelu);
  return [
    gemm(`${prefix}fc1`, "gemm", rows, up, h, 1, fp8),
    act,
    gemm(`${prefix}fc2`, "gemm", rows, h, ffn / tp, 1, fp8),
  ];
}

function denseMlpOps(model: ModelSpec, s: ShardSpec): ComputeOp[] {
  const d = layerDims(model);
  const { T, Tsp } = tokens(s);
  const h = model.hidden;
  return [
    memory("norm2", Tsp * h, 2 * ACT, EW_FLOPS.norm),
    ...mlpOps(model, model.ffnHidden, T, s.tp, s.fp8, ""),
    memory("residual2", Tsp * h, 3 * ACT + (d.dropout ? 1 : 0), EW_FLOPS.residual),
  ];
}

function moeMlpOps(model: ModelSpec, s: ShardSpec): ComputeOp[] {
  const moe = model.moe;
  if (!moe) throw new Error("moeMlpOps needs a MoE model");
  const d = layerDims(model);
  const h = model.hidden;
  const { T } = tokens(s);
  const local = T / s.tp; // tokens this rank routes
  const routed = local * moe.topK;
  // With expert tensor parallelism the etp ranks of a group each see all the group's tokens for their
  // experts (etp × the pairs) and compute 1/etp of each expert's FFN: the same FLOPs, wider token batches.
  const etp = s.etp ?? 1;
  const localExperts = moe.experts / s.ep;
  const perExpert = (routed * etp) / localExperts;
  const ffn = moe.expertFfnHidden / etp;
  const ops: ComputeOp[] = [
    memory("norm2", local * h, 2 * ACT, EW_FLOPS.norm),
    gemm("router", "gemm", local, moe.experts, h, 1, false),
    memory("permute", routed * h, 2 * ACT, EW_FLOPS.permute),
  ];
  const up = (d.mlpMatrices - 1) * ffn;
  ops.push(gemm("expert-fc1", "gemm", perExpert, up, h, localExperts, s.fp8));
  ops.push(
    model.gatedMlp
      ? memory("expert-swiglu", routed * moe.expertFfnHidden, 3 * ACT, EW_FLOPS.swiglu)
      : memory("expert-gelu", routed * moe.expertFfnHidden, 2 * ACT, EW_FLOPS.gelu),
  );
  ops.push(gemm("expert-fc2", "gemm", perExpert, h, ffn, localExperts, s.fp8));
  ops.push(memory("unpermute", routed * h, 2 * ACT, EW_FLOPS.permute));
  if (moe.sharedExperts > 0) {
    ops.push(...mlpOps(model, moe.sharedExperts * moe.expertFfnHidden, T, s.tp, s.fp8, "shared-"));
  }
  ops.push(memory("residual2", local * h, 3 * ACT + (d.dropout ? 1 : 0), EW_FLOPS.residual));
  return ops;
}

/** Forward kernels of one layer (dense, or MoE when `moe`) on one rank, for one micro-batch. */
export function layerForwardOps(model: ModelSpec, moe: boolean, shard: ShardSpec): ComputeOp[] {
  return [...attentionOps(model, shard), ...(moe ? moeMlpOps(model, shard) : denseMlpOps(model, shard))];
}

/** Forward kernels of the input embedding (first pipeline stage). */
export function embeddingForwardOps(model: ModelSpec, shard: ShardSpec): ComputeOp[] {
  const { T, Tsp } = tokens(shard);
  const h = model.hidden;
  // vocab-parallel lookup: every rank writes its T×h partial sums, reduced over tp (counted as TP comm)
  return [
    memory("embedding", T * h, 2 * ACT, 0),
    memory("embed-dropout", Tsp * h, 2 * ACT, EW_FLOPS.dropout),
  ];
}

/** Forward kernels of the final norm, output projection and cross-entropy loss (last pipeline stage). */
export function outputForwardOps(model: ModelSpec, shard: ShardSpec): ComputeOp[] {
  const { T, Tsp } = tokens(shard);
  const h = model.hidden;
  const v = model.vocab / shard.tp;
  return [
    memory("final-norm", Tsp * h, 2 * ACT, EW_FLOPS.norm),
    gemm("logits", "gemm", T, v, h, 1, false),
    // fused vocab-parallel cross-entropy: max, sum-exp and loss passes over the logits
    memory("cross-entropy", T * v, 3 * ACT, EW_FLOPS.xent),
  ];
}

/**
 * Backward kernels of a forward list: each GEMM becomes its input-gradient and weight-gradient GEMMs
 * (batched attention products: two input-gradient products, same FLOPs), attention twice its forward
 * FLOPs, element-wise kernels twice their traffic (they read the saved input and the incoming gradient).
 */
export function backwardOps(forward: ComputeOp[]): ComputeOp[] {
  const out: ComputeOp[] = [];
  for (let i = forward.length - 1; i >= 0; i--) {
    const op = forward[i];
    if (op.kernel === "gemm" && op.m !== undefined && op.n !== undefined && op.k !== undefined) {
      const b = op.batch ?? 1;
      const fp8 = op.fp8 ?? false;
      out.push({ ...gemm(`${op.name}.dgrad`, op.cls as "gemm" | "attention", op.m, op.k, op.n, b, fp8) });
      out.push({ ...gemm(`${op.name}.wgrad`, op.cls as "gemm" | "attention", op.k, op.n, op.m, b, fp8) });
    } else {
      out.push({ ...op, name: `${op.name}.bwd`, flops: 2 * op.flops, bytes: 2 * op.bytes });
    }
  }
  return out;
}

/**
 * The kernels selective recomputation runs again before the backward pass (Korthikanti et al. §5: the
 * attention core — scores, softmax, dropout, probabilities × values). Fused attention keeps no score
 * matrix, so there is nothing extra to recompute.
 */
export function selectiveRecomputeOps(forward: ComputeOp[]): ComputeOp[] {
  const core = new Set(["scores", "softmax", "attn-dropout", "attn-v"]);
  return forward.filter((op) => core.has(op.name));
}
