/**
 * Time of one forward step of a serving instance: a batch of T new tokens (prompt chunks and/or one token
 * per decoding sequence), S sequences that need logits, and the attention work over the KV cache.
 *
 *   t_step = Σ_layers t_linear(T) + t_logits(S) + t_attention(pairs, KV tokens read) + t_tp(T) + t_ep(T)
 *
 * Each kernel is timed by the compute model's roofline (src/compute: max(FLOPs / (η·peak), bytes / (η_mem ·
 * HBM bandwidth))), so prefill comes out compute-bound and small-batch decode memory-bound (the weights
 * are read once per step, the KV cache once per sequence). TP all-reduces and EP all-to-alls run through
 * the collective model on the fabric. The parts that depend only on T (weight GEMMs, element-wise
 * kernels, collectives) are evaluated once per token-count bucket and interpolated, which keeps a
 * 100,000-request simulation fast: exact up to 512 tokens, then 32 points per octave.
 * Formulas and their sources: docs/inference-model.md, "Step time".
 */
import { computeTarget, type ComputeTarget, opTime } from "../../compute/index.js";
import type { ComputeOp } from "../../compute/types.js";
import type { ModelSpec } from "../../scenario/types.js";
import { denseLayerCount, layerDims, moeLayerCount } from "../model/dims.js";
import type { CommModel } from "../training/comm.js";
import { type PoolPlan, rankOf } from "./pools.js";

/** Bytes per activation element on the wire and in element-wise kernels (BF16). */
const ACT_BYTES = 2;
/** Token counts up to this are cached exactly; above, geometric buckets. */
const EXACT_TOKENS = 512;
const BUCKETS_PER_OCTAVE = 32;
const OCTAVES = 24;

export interface StepBreakdown {
  compute: number;
  tp: number;
  ep: number;
}

export interface StepCost {
  pool: PoolPlan;
  model: ModelSpec;
  target: ComputeTarget;
  fp8: boolean;
  tpRanks: Int32Array;
  epRanks: Int32Array;
  comm: CommModel;
  /** Attention FLOPs per (query, key) pair on one accelerator, all layers: decode (MLA absorbed) and prefill. */
  decodeFlopsPerPair: number;
  prefillFlopsPerPair: number;
  /** FLOP/s of fused attention and bytes/s of HBM at the calibrated efficiencies. */
  flashRate: number;
  memoryRate: number;
  /** Per token-count point: seconds of linear compute, TP and EP communication (NaN = not computed yet). */
  linear: Float64Array;
  tp: Float64Array;
  ep: Float64Array;
  /** Scratch op, reused so timing allocates nothing. */
  op: ComputeOp;
}

export function makeStepCost(model: ModelSpec, pool: PoolPlan, comm: CommModel, fp8: boolean): StepCost {
  const target = computeTarget(pool.accelerator);
  const d = layerDims(model);
  const headsPerAcc = model.heads / pool.tp;
  const mla = model.mla;
  const decodeDims = mla ? 2 * mla.kvLoraRank + mla.ropeDim : d.qkHeadDim + d.vHeadDim;
  const prefillDims = d.qkHeadDim + d.vHeadDim;
  const points = EXACT_TOKENS + 1 + BUCKETS_PER_OCTAVE * OCTAVES + 1;
  return {
    pool,
    model,
    target,
    fp8,
    tpRanks: Int32Array.from({ length: pool.tp }, (_, i) => rankOf(pool, 0, i)),
    epRanks: Int32Array.from({ length: pool.ep }, (_, i) => rankOf(pool, 0, i)),
    comm,
    decodeFlopsPerPair: model.layers * 2 * headsPerAcc * decodeDims,
    prefillFlopsPerPair: model.layers * 2 * headsPerAcc * prefillDims,
    flashRate: target.curve.flash * pool.accelerator.peakFlops.bf16,
    memoryRate: target.curve.memory * pool.accelerator.hbmBandwidth,
    linear: new Float64Array(points).fill(Number.NaN),
    tp: new Float64Array(points).fill(Number.NaN),
    ep: new Float64Array(points).fill(Number.NaN),
    op: { name: "gemm", cls: "gemm", kernel: "gemm", flops: 0, bytes: 0, m: 1, n: 1, k: 1, batch: 1 },
  };
}

/**
 * Seconds of one step. tokens: new tokens in the batch (all dp replicas together); seqs: sequences whose
 * last token needs logits; decodePairs / prefillPairs: (query, key) pairs of attention, for decode tokens
 * and prompt chunks; kvTokens: KV entries read or written. Fills `out` with the parts when given.
 */
export function stepTime(
  c: StepCost,
  tokens: number,
  seqs: number,
  decodePairs: number,
  prefillPairs: number,
  kvTokens: number,
  out?: StepBreakdown,
): number {
  if (tokens <= 0) {
    if (out) out.compute = out.tp = out.ep = 0;
    return 0;
  }
  const dp = c.pool.dp;
  const linear = tokenPart(c, c.linear, tokens);
  const tp = tokenPart(c, c.tp, tokens);
  const ep = tokenPart(c, c.ep, tokens);
  const attnFlops = (c.decodeFlopsPerPair * decodePairs + c.prefillFlopsPerPair * prefillPairs) / dp;
  const attnBytes = (kvTokens / dp) * c.pool.kvBytesPerTokenPerAccelerator;
  const attention = Math.max(attnFlops / c.flashRate, attnBytes / c.memoryRate);
  const compute = linear + logitsTime(c, seqs / dp) + attention;
  if (out) {
    out.compute = compute;
    out.tp = tp;
    out.ep = ep;
  }
  return compute + tp + ep;
}

/** Time of a prefill batch of whole prompts (no cached prefix): for reports and tests. */
export function prefillTime(c: StepCost, promptTokens: number, out?: StepBreakdown): number {
  return stepTime(c, promptTokens, 1, 0, causalPairs(0, promptTokens), promptTokens, out);
}

/** (query, key) pairs of a causal chunk of `n` tokens after `before` tokens already in the cache. */
export function causalPairs(before: number, n: number): number {
  return n * before + (n * (n + 1)) / 2;
}

/** A part that depends only on the token count, from its cache (exact or interpolated between buckets). */
function tokenPart(c: StepCost, table: Float64Array, tokens: number): number {
  if (tokens <= EXACT_TOKENS && Number.isInteger(tokens)) return pointValue(c, table, tokens);
  const u = Math.log2(tokens / EXACT_TOKENS) * BUCKETS_PER_OCTAVE;
  const k = Math.min(Math.max(0, Math.floor(u)), BUCKETS_PER_OCTAVE * OCTAVES - 1);
  const t0 = EXACT_TOKENS * 2 ** (k / BUCKETS_PER_OCTAVE);
  const t1 = EXACT_TOKENS * 2 ** ((k + 1) / BUCKETS_PER_OCTAVE);
  const i = EXACT_TOKENS + 1 + k;
  const f0 = pointValue(c, table, i - 1);
  const f1 = pointValue(c, table, i);
  return f0 + ((f1 - f0) * (tokens - t0)) / (t1 - t0);
}

/** Token count of cache point i. */
function pointTokens(i: number): number {
  return i <= EXACT_TOKENS ? i : EXACT_TOKENS * 2 ** ((i - EXACT_TOKENS) / BUCKETS_PER_OCTAVE);
}

function pointValue(c: StepCost, table: Float64Array, i: number): number {
  if (Number.isNaN(table[i])) fillPoint(c, i);
  return table[i];
}

function fillPoint(c: StepCost, i: number): void {
  const T = pointTokens(i);
  const m = c.model;
  c.linear[i] = denseLayerCount(m) * layerLinear(c, T, false) + moeLayerCount(m) * layerLinear(c, T, true);
  c.tp[i] = 0;
  c.ep[i] = 0;
  const { tp, dp, ep } = c.pool;
  if (tp > 1) c.tp[i] = 2 * m.layers * c.comm.time("all-reduce", c.tpRanks, (T / dp) * m.hidden * ACT_BYTES).timeS;
  if (ep > 1 && m.moe) {
    const perRank = (T / (tp * dp)) * m.moe.topK * m.hidden * ACT_BYTES;
    c.ep[i] = 2 * moeLayerCount(m) * c.comm.time("all-to-all", c.epRanks, perRank).timeS;
  }
}

/** Weight GEMMs and element-wise kernels of one layer on one accelerator, for T tokens in the instance. */
function layerLinear(c: StepCost, T: number, moe: boolean): number {
  const m = c.model;
  const d = layerDims(m);
  const { tp, dp, ep } = c.pool;
  const h = m.hidden;
  const t = T / dp; // tokens of one attention replica
  let s = 0;
  if (m.mla) {
    const { qLoraRank, kvLoraRank, ropeDim } = m.mla;
    if (qLoraRank > 0) s += gemm(c, t, qLoraRank, h, 1) + gemm(c, t, d.qDim / tp, qLoraRank, 1);
    else s += gemm(c, t, d.qDim / tp, h, 1);
    s += gemm(c, t, kvLoraRank + ropeDim, h, 1);
    s += gemm(c, t, (m.heads * (m.headDim + d.vHeadDim)) / tp, kvLoraRank, 1);
  } else {
    s += gemm(c, t, (d.qDim + d.kDim + d.vDim) / tp, h, 1);
  }
  s += gemm(c, t, h, d.oDim / tp, 1);
  // two norms (read + write) and two residual adds (two reads, one write)
  s += memory(c, t * h * ACT_BYTES * (2 * 2 + 2 * 3));
  const up = d.mlpMatrices - 1;
  const act = m.gatedMlp ? 3 : 2;
  if (!moe || !m.moe) {
    const f = m.ffnHidden / tp;
    return s + gemm(c, t, up * f, h, 1) + memory(c, t * f * ACT_BYTES * act) + gemm(c, t, h, f, 1);
  }
  const { experts, topK, expertFfnHidden: ef, sharedExperts } = m.moe;
  s += gemm(c, t, experts, h, 1); // router
  const replicas = (tp * dp) / ep; // copies of each expert in the instance
  const routed = (T * topK) / (tp * dp); // token-expert pairs per accelerator
  const local = experts / ep;
  // Expected experts hit when T/replicas tokens each pick topK of E at random (balanced routing).
  const touched = local * (1 - (1 - topK / experts) ** (T / replicas));
  const perExpert = routed / touched;
  s += gemm(c, perExpert, up * ef, h, touched) + gemm(c, perExpert, h, ef, touched);
  s += memory(c, routed * ef * ACT_BYTES * act + 2 * routed * h * ACT_BYTES * 2); // activation, permute, unpermute
  if (sharedExperts > 0) {
    const f = (sharedExperts * ef) / tp;
    s += gemm(c, t, up * f, h, 1) + memory(c, t * f * ACT_BYTES * act) + gemm(c, t, h, f, 1);
  }
  return s;
}

/** Logits of `rows` sequences on one accelerator (vocab split by tp). */
function logitsTime(c: StepCost, rows: number): number {
  if (rows <= 0) return 0;
  return gemm(c, rows, c.model.vocab / c.pool.tp, c.model.hidden, 1);
}

/** Roofline time of `batch` GEMMs of m×k by k×n (weights k×n), through the compute model. */
function gemm(c: StepCost, m: number, n: number, k: number, batch: number): number {
  const op = c.op;
  const inBytes = c.pool.elementBytes;
  op.kernel = "gemm";
  op.m = m;
  op.n = n;
  op.k = k;
  op.batch = batch;
  op.fp8 = c.fp8;
  op.flops = 2 * m * n * k * batch;
  op.bytes = batch * ((m * k + k * n) * inBytes + m * n * ACT_BYTES);
  return opTime(c.target, op);
}

function memory(c: StepCost, bytes: number): number {
  const op = c.op;
  op.kernel = "memory";
  op.flops = 0;
  op.bytes = bytes;
  op.fp8 = false;
  return opTime(c.target, op);
}
