/**
 * Time of one forward step of a serving instance: T new tokens in the instance (prompt chunks and/or one
 * token per decoding sequence) and the work of its busiest attention replica (DeepSeek-style attention
 * data parallelism: dp replicas of tp ranks; with dp = 1 the replica is the instance).
 *
 *   t_step = L_ne · t_layer(t) + L_moe · t_experts(T) + t_logits(s) + t_attention(pairs, KV tokens)
 *            + t_tp(t) + t_ep(t) + t_graph
 *
 * where t, s, pairs and KV tokens are the busiest replica's tokens, sequences, (query, key) pairs and KV
 * entries read or written: the replicas run in lock step (the experts need every replica's tokens), so
 * the busiest one sets the pace. Each kernel is timed by the compute model's roofline (src/compute:
 * max(FLOPs / (η·peak), bytes / (η_mem · HBM bandwidth))), so prefill comes out compute-bound and
 * small-batch decode memory-bound (the weights are read once per step, the KV cache once per sequence).
 * TP all-reduces and EP all-to-alls are timed by the collective model on the fabric; t_graph is the
 * curve's fixed per-step decode cost. With two-batch overlap the step runs as two micro-batches instead.
 *
 * The parts that depend only on a token count (weight GEMMs, element-wise kernels, collectives) are
 * evaluated once per token-count point and interpolated in between, which keeps a 100,000-request
 * simulation fast: a point at every whole count up to 512 tokens, then 32 per octave. Formulas and sources:
 * docs/inference-model.md, "Step time".
 */
import { deepEpTime } from "../../collectives/deepep.js";
import { type ComputeTarget, computeTarget, type EfficiencyCurve, opTime } from "../../compute/index.js";
import type { ComputeOp } from "../../compute/types.js";
import { denseLayerCount, layerDims, moeLayerCount } from "../../model/dims.js";
import { expertLoadFactor } from "../../model/expert-load.js";
import { isFp4 } from "../../model/precision.js";
import type { ModelSpec, ServingPrecision } from "../../scenario/types.js";
import type { CommModel } from "../training/comm.js";
import { expertTp, type PoolPlan, rankOf } from "./pools.js";

/** Bytes per activation element in element-wise kernels and TP all-reduces (BF16). */
const ACT_BYTES = 2;
/** Token counts up to this are cached exactly; above, geometric points. */
const EXACT_TOKENS = 512;
const POINTS_PER_OCTAVE = 32;
const OCTAVES = 24;

export interface StepBreakdown {
  compute: number;
  tp: number;
  ep: number;
}

/** The busiest attention replica's share of a step. */
export interface ReplicaLoad {
  tokens: number;
  /** Sequences whose last token needs logits. */
  seqs: number;
  /** (query, key) pairs of attention: decode tokens, and prompt chunks. */
  decodePairs: number;
  prefillPairs: number;
  /** KV entries read or written. */
  kvTokens: number;
}

export function makeReplicaLoad(): ReplicaLoad {
  return { tokens: 0, seqs: 0, decodePairs: 0, prefillPairs: 0, kvTokens: 0 };
}

export interface StepCost {
  pool: PoolPlan;
  model: ModelSpec;
  target: ComputeTarget;
  /** Weight GEMMs at the FP8 or the FP4 tensor-core rate (where the accelerator has it). */
  fp8: boolean;
  fp4: boolean;
  tpRanks: Int32Array;
  epRanks: Int32Array;
  comm: CommModel;
  /** Attention FLOPs per (query, key) pair on one accelerator, all layers: decode (MLA absorbed) and prefill. */
  decodeFlopsPerPair: number;
  prefillFlopsPerPair: number;
  /** FLOP/s of fused attention and bytes/s of HBM at the calibrated efficiencies. */
  flashRate: number;
  memoryRate: number;
  /** Fixed seconds per step that decodes (one CUDA-graph launch and host scheduling; curve `decodeStepS`). */
  decodeStepS: number;
  /** Per replica-token point: seconds of non-expert kernels (all layers), TP and EP communication. */
  replicaLinear: Float64Array;
  tp: Float64Array;
  ep: Float64Array;
  /** Per instance-token point: seconds of the routed-expert kernels (all MoE layers). */
  experts: Float64Array;
  /** Scratch op, reused so timing allocates nothing. */
  op: ComputeOp;
}

export function makeStepCost(
  model: ModelSpec,
  pool: PoolPlan,
  comm: CommModel,
  precision: ServingPrecision,
): StepCost {
  const target = computeTarget(pool.accelerator);
  const d = layerDims(model);
  const headsPerAcc = model.heads / pool.tp;
  const mla = model.mla;
  // MLA decode attends in the compressed space (weights absorbed): keys of kvLoraRank + ropeDim, values of kvLoraRank.
  const decodeDims = mla ? 2 * mla.kvLoraRank + mla.ropeDim : d.qkHeadDim + d.vHeadDim;
  const prefillDims = d.qkHeadDim + d.vHeadDim;
  const points = EXACT_TOKENS + 1 + POINTS_PER_OCTAVE * OCTAVES + 1;
  const table = () => new Float64Array(points).fill(Number.NaN);
  return {
    pool,
    model,
    target,
    fp8: precision === "fp8",
    fp4: isFp4(precision),
    tpRanks: Int32Array.from({ length: pool.tp }, (_, i) => rankOf(pool, 0, i)),
    epRanks: Int32Array.from({ length: pool.ep }, (_, i) => rankOf(pool, 0, i)),
    comm,
    decodeFlopsPerPair: model.layers * 2 * headsPerAcc * decodeDims,
    prefillFlopsPerPair: model.layers * 2 * headsPerAcc * prefillDims,
    flashRate: target.curve.flash * pool.accelerator.peakFlops.bf16,
    memoryRate: target.curve.memory * pool.accelerator.hbmBandwidth,
    decodeStepS: gemmCurve(target, precision).decodeStepS ?? 0,
    replicaLinear: table(),
    tp: table(),
    ep: table(),
    experts: table(),
    op: { name: "gemm", cls: "gemm", kernel: "gemm", flops: 0, bytes: 0, m: 1, n: 1, k: 1, batch: 1 },
  };
}

/**
 * The curve of the precision the step's weight GEMMs run in (the one `opTime` prices them on): FP8's for
 * FP8 and 4-bit weights where the accelerator has an FP8 peak, BF16's otherwise.
 */
function gemmCurve(target: ComputeTarget, precision: ServingPrecision): EfficiencyCurve {
  const low = precision !== "bf16" && target.accelerator.peakFlops.fp8 !== undefined;
  return low ? target.fp8Curve : target.curve;
}

/** The two micro-batches of a two-batch step; reused, never kept. */
const MICRO: [ReplicaLoad, ReplicaLoad] = [makeReplicaLoad(), makeReplicaLoad()];
const MICRO_PARTS: [StepBreakdown, StepBreakdown] = [
  { compute: 0, tp: 0, ep: 0 },
  { compute: 0, tp: 0, ep: 0 },
];

/** Seconds of one step with `tokens` new tokens in the instance; fills `out` with the parts when given. */
export function stepTime(c: StepCost, tokens: number, replica: ReplicaLoad, out?: StepBreakdown): number {
  if (tokens <= 0) {
    if (out) out.compute = out.tp = out.ep = 0;
    return 0;
  }
  const kernels = twoBatch(c, replica)
    ? twoBatchStepTime(c, tokens, replica, out)
    : plainStepTime(c, tokens, replica, out);
  // One graph launch and one round of host scheduling per step, however the step is split.
  const launch = replica.decodePairs > 0 ? c.decodeStepS : 0;
  if (out) out.compute += launch;
  return kernels + launch;
}

/**
 * Two-batch overlap needs an expert-parallel MoE pool and a busiest replica whose batch splits into two
 * non-empty micro-batches: with one token it has no second micro-batch's compute to hide its all-to-alls
 * under, so the step runs whole.
 */
function twoBatch(c: StepCost, replica: ReplicaLoad): boolean {
  return c.pool.overlap === "two-batch" && c.pool.ep > 1 && replica.tokens >= 2 && c.model.moe !== undefined;
}

/**
 * Two-batch overlap (DeepSeek-V3 §3.4 / SGLang): the step runs as two micro-batches of whole tokens and
 * sequences, ⌈n/2⌉ and ⌊n/2⌋ (a token cannot be split), layer by layer, one's expert-parallel dispatch
 * and combine under the other's compute. Per MoE layer the pair costs max(both micro-batches' compute,
 * both's all-to-alls); one layer's worth of the larger micro-batch's smaller part (compute or all-to-alls)
 * stays exposed at the ends; tensor-parallel collectives are not overlapped. Each micro-batch is priced at
 * its own token counts, so the smaller GEMMs' lower efficiency and the second weight read are charged.
 *   t = max(C_a + C_b, E_a + E_b) + min(C_a, E_a) / L_moe + TP_a + TP_b
 */
function twoBatchStepTime(c: StepCost, tokens: number, replica: ReplicaLoad, out?: StepBreakdown): number {
  const counts = [Math.ceil(tokens / 2), Math.floor(tokens / 2)];
  for (let k = 0; k < 2; k++) {
    splitLoad(replica, k, MICRO[k]);
    plainStepTime(c, counts[k], MICRO[k], MICRO_PARTS[k]);
  }
  const [a, b] = MICRO_PARTS;
  const layers = Math.max(1, moeLayerCount(c.model));
  const compute = a.compute + b.compute;
  const overlapped = Math.max(compute, a.ep + b.ep) + Math.min(a.compute, a.ep) / layers;
  if (out) {
    out.compute = compute;
    out.tp = a.tp + b.tp;
    out.ep = overlapped - compute;
  }
  return overlapped + a.tp + b.tp;
}

/**
 * Micro-batch k (0: the larger) of the busiest replica's load: ⌈·/2⌉ or ⌊·/2⌋ of its tokens and
 * sequences, and its attention pairs and KV entries in proportion to its tokens (only totals are known).
 */
function splitLoad(replica: ReplicaLoad, k: number, into: ReplicaLoad): void {
  const half = (x: number) => (k === 0 ? Math.ceil(x / 2) : Math.floor(x / 2));
  into.tokens = half(replica.tokens);
  into.seqs = half(replica.seqs);
  const share = replica.tokens > 0 ? into.tokens / replica.tokens : 0;
  into.decodePairs = replica.decodePairs * share;
  into.prefillPairs = replica.prefillPairs * share;
  into.kvTokens = replica.kvTokens * share;
}

/** Kernels and collectives of one step (or micro-batch) run as a whole; the per-step launch is not included. */
function plainStepTime(
  c: StepCost,
  tokens: number,
  replica: ReplicaLoad,
  out: StepBreakdown | undefined,
): number {
  if (tokens <= 0) {
    if (out) out.compute = out.tp = out.ep = 0;
    return 0;
  }
  const t = replica.tokens;
  const linear = t > 0 ? tokenPart(c, c.replicaLinear, 0, t) : 0;
  const tp = t > 0 ? tokenPart(c, c.tp, 0, t) : 0;
  const ep = t > 0 ? tokenPart(c, c.ep, 0, t) : 0;
  const experts = c.model.moe ? tokenPart(c, c.experts, 1, tokens) : 0;
  const attnFlops = c.decodeFlopsPerPair * replica.decodePairs + c.prefillFlopsPerPair * replica.prefillPairs;
  const attnBytes = replica.kvTokens * c.pool.kvBytesPerTokenPerAccelerator;
  const attention = Math.max(attnFlops / c.flashRate, attnBytes / c.memoryRate);
  const compute = linear + experts + logitsTime(c, replica.seqs) + attention;
  if (out) {
    out.compute = compute;
    out.tp = tp;
    out.ep = ep;
  }
  return compute + tp + ep;
}

/** Time of a prefill of one whole prompt (no cached prefix) alone on an instance: for reports and tests. */
export function prefillTime(c: StepCost, promptTokens: number, out?: StepBreakdown): number {
  const pairs = causalPairs(0, promptTokens);
  const load = { tokens: promptTokens, seqs: 1, decodePairs: 0, prefillPairs: pairs, kvTokens: promptTokens };
  return stepTime(c, promptTokens, load, out);
}

/** (query, key) pairs of a causal chunk of `n` tokens after `before` tokens already in the cache. */
export function causalPairs(before: number, n: number): number {
  return n * before + (n * (n + 1)) / 2;
}

/**
 * A part that depends only on a token count, from its table: exact at a point, else linear between the two
 * points around it (whole counts up to EXACT_TOKENS, geometric above), so it is continuous and rises with
 * the count wherever the points do. Below one token the one-token point stands (the kernels run anyway).
 */
function tokenPart(c: StepCost, table: Float64Array, which: 0 | 1, tokens: number): number {
  if (tokens <= 1) return pointValue(c, table, which, 1);
  if (tokens <= EXACT_TOKENS) {
    const lo = Math.floor(tokens);
    const f0 = pointValue(c, table, which, lo);
    return lo === tokens ? f0 : f0 + (pointValue(c, table, which, lo + 1) - f0) * (tokens - lo);
  }
  const u = Math.log2(tokens / EXACT_TOKENS) * POINTS_PER_OCTAVE;
  const k = Math.min(Math.max(0, Math.floor(u)), POINTS_PER_OCTAVE * OCTAVES - 1);
  const t0 = EXACT_TOKENS * 2 ** (k / POINTS_PER_OCTAVE);
  const t1 = EXACT_TOKENS * 2 ** ((k + 1) / POINTS_PER_OCTAVE);
  const i = EXACT_TOKENS + 1 + k;
  const f0 = pointValue(c, table, which, i - 1);
  const f1 = pointValue(c, table, which, i);
  return f0 + ((f1 - f0) * (tokens - t0)) / (t1 - t0);
}

/** Token count of table point i. */
function pointTokens(i: number): number {
  return i <= EXACT_TOKENS ? i : EXACT_TOKENS * 2 ** ((i - EXACT_TOKENS) / POINTS_PER_OCTAVE);
}

function pointValue(c: StepCost, table: Float64Array, which: 0 | 1, i: number): number {
  if (Number.isNaN(table[i])) {
    if (which === 0) fillReplicaPoint(c, i);
    else c.experts[i] = moeLayerCount(c.model) * expertsLinear(c, pointTokens(i));
  }
  return table[i];
}

function fillReplicaPoint(c: StepCost, i: number): void {
  const t = pointTokens(i);
  const m = c.model;
  const moeLayers = moeLayerCount(m);
  c.replicaLinear[i] = denseLayerCount(m) * layerLinear(c, t, false) + moeLayers * layerLinear(c, t, true);
  c.tp[i] = 0;
  c.ep[i] = 0;
  const { tp, ep, elementBytes } = c.pool;
  if (tp > 1) c.tp[i] = 2 * m.layers * c.comm.time("all-reduce", c.tpRanks, t * m.hidden * ACT_BYTES).timeS;
  if (ep > 1 && m.moe) {
    // Each rank of the replica dispatches its 1/tp of the tokens to their topK experts (FP8 dispatch when
    // serving in FP8, BF16 combine, as DeepSeek-V3 and DeepEP do).
    // The busiest rank receives γ times the mean (expert-load.ts) and the others wait for it: γ scales the
    // bytes moved, not the kernels' fixed latencies, which every call pays once whatever its size.
    const straggler = expertLoadFactor(ep, (t / tp) * m.moe.topK, c.pool.expertImbalance);
    const busiest = (straggler * t) / tp;
    const pairs = busiest * m.moe.topK * m.hidden;
    if (c.pool.epKernels === "deepep") {
      c.ep[i] = moeLayers * deepEpLayer(c, busiest, m.moe.topK);
    } else {
      // FP8 dispatch under FP8 or 4-bit weights (as DeepEP sends), BF16 otherwise
      const dispatch = c.comm.time("all-to-all", c.epRanks, pairs * Math.max(1, elementBytes)).timeS;
      const combine = c.comm.time("all-to-all", c.epRanks, pairs * ACT_BYTES).timeS;
      c.ep[i] = moeLayers * (dispatch + combine);
    }
  }
}

/**
 * DeepEP dispatch + combine of one MoE layer for `tokens` per rank: low-latency kernels in decode, normal
 * kernels in prefill (and co-located steps), on the pool's scale-up domain and NIC bandwidth per accelerator.
 */
function deepEpLayer(c: StepCost, tokens: number, topK: number): number {
  const g = c.pool.group;
  const perNode = g.scaleUp?.domain ?? g.acceleratorsPerNode;
  const group = {
    ep: c.pool.ep,
    perNode,
    scaleUpBandwidth: g.scaleUp?.bandwidth ?? 0,
    scaleOutBandwidth: (g.nics.count * g.nics.bandwidth) / g.acceleratorsPerNode,
  };
  const kernel = c.pool.role === "decode" ? "low-latency" : "normal";
  const moe = c.model.moe!;
  const call = {
    kernel,
    tokens,
    hidden: c.model.hidden,
    topK,
    experts: moe.experts,
    groups: moe.groups,
    groupsPerToken: moe.groupsPerToken,
    bf16Dispatch: c.pool.elementBytes > 1,
  } as const;
  return deepEpTime(group, { ...call, phase: "dispatch" }) + deepEpTime(group, { ...call, phase: "combine" });
}

/** Non-expert weight GEMMs and element-wise kernels of one layer on one accelerator, for t replica tokens. */
function layerLinear(c: StepCost, t: number, moe: boolean): number {
  const m = c.model;
  const d = layerDims(m);
  const tp = c.pool.tp;
  const h = m.hidden;
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
  const { experts, expertFfnHidden: ef, sharedExperts } = m.moe;
  s += gemm(c, t, experts, h, 1); // router
  if (sharedExperts > 0) {
    const f = (sharedExperts * ef) / tp;
    s += gemm(c, t, up * f, h, 1) + memory(c, t * f * ACT_BYTES * act) + gemm(c, t, h, f, 1);
  }
  return s;
}

/**
 * Routed-expert kernels of one MoE layer on one accelerator, for T tokens in the instance. Without expert
 * parallelism the experts are split over the tp ranks (expertTp): each rank runs its replica's tokens
 * through a 1/tp slice of every expert's FFN width, and the layer's TP all-reduce sums the slices.
 */
function expertsLinear(c: StepCost, T: number): number {
  const m = c.model;
  if (!m.moe) return 0;
  const { tp, dp, ep } = c.pool;
  const etp = expertTp(c.pool);
  const d = layerDims(m);
  const h = m.hidden;
  const { experts, topK } = m.moe;
  const ef = m.moe.expertFfnHidden / etp; // each rank's slice of an expert's FFN width
  const up = d.mlpMatrices - 1;
  const act = m.gatedMlp ? 3 : 2;
  const replicas = (tp * dp) / (ep * etp); // copies of each expert slice in the instance
  const mean = (T * topK * etp) / (tp * dp); // token-expert pairs per accelerator, on average
  // The busiest rank sets the layer's pace (expert-load.ts).
  const routed = mean * expertLoadFactor(ep, mean, c.pool.expertImbalance);
  const local = (experts + c.pool.redundantExperts) / ep; // expert slots per rank
  // Expected experts hit when T/replicas tokens each pick topK of E at random: small decode batches
  // leave some experts' weights unread.
  const touched = local * (1 - (1 - topK / experts) ** (T / replicas));
  const perExpert = routed / touched;
  let s = gemm(c, perExpert, up * ef, h, touched) + gemm(c, perExpert, h, ef, touched);
  s += memory(c, routed * ef * ACT_BYTES * act + 2 * routed * h * ACT_BYTES * 2); // activation, permute, unpermute
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
  op.fp4 = c.fp4;
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
  op.fp4 = false;
  return opTime(c.target, op);
}
