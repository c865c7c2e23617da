/**
 * Time of one forward and one backward pass of every model chunk on one representative rank of each
 * pipeline stage: the kernels of its layers (compute model) plus the communication that sits inside a
 * pass — tensor-parallel collectives, expert-parallel all-to-all, the context-parallel KV ring and ZeRO-3
 * weight gathers — exposed where it does not overlap compute. Identical layers are costed once.
 */
import { opsTime } from "../../compute/roofline.js";
import type { ComputeOp } from "../../compute/types.js";
import { layerDims } from "../../model/dims.js";
import {
  backwardOps,
  embeddingForwardOps,
  layerForwardOps,
  outputForwardOps,
  selectiveRecomputeOps,
} from "../../model/layer-ops.js";
import { parameterCount } from "../../model/params.js";
import { stageChunks } from "../../model/partition.js";
import type { CollectiveOp } from "../../scenario/types.js";
import { type CommModel, type CommTime, type GroupKind, siblingGroups } from "./comm.js";
import { addCause, type CommKind, type Ledger, ledgerTotal, mergeLedger } from "./ledger.js";
import { cpPair, dpGroup, epGroup, expertDpGroup, expertTpGroup, ppPair, tpGroup } from "./placement.js";
import type { TrainingPlan } from "./plan.js";

const ACT = 2;
/** Gradients are reduced in BF16 (Megatron-Core's default: grad_reduce_in_fp32 off). */
const GRAD_BYTES = 2;

export interface PassCost {
  /** Duration on the stage: compute + exposed in-pass communication. */
  timeS: number;
  computeS: number;
  causes: Ledger;
}

/** Gradients a rank reduces over data parallelism for one layer (or the embedding / output). */
export interface GradBucket {
  expert: boolean;
  /** Parameters per rank. */
  params: number;
}

export interface ChunkCost {
  fwd: PassCost;
  bwd: PassCost;
  /** Gradient buckets in the order the backward pass produces them. */
  buckets: GradBucket[];
}

export interface StageCost {
  chunks: ChunkCost[];
  /** Activation (or gradient) transfer to the next stage. */
  p2pS: number;
  p2pTier: string;
}

/** The groups of one stage, the copies of each that communicate at the same time, and a cache of their collective times. */
export interface StageNet {
  comm: CommModel;
  groups: Record<GroupKind, Int32Array>;
  siblings: Record<GroupKind, Int32Array[]>;
  cache: Map<string, CommTime>;
}

export function stageNet(plan: TrainingPlan, comm: CommModel, stage: number): StageNet {
  const l = plan.layout;
  return {
    comm,
    groups: {
      tp: tpGroup(l, stage),
      cp: cpPair(l, stage),
      ep: epGroup(l, stage),
      etp: expertTpGroup(l, stage),
      dp: dpGroup(l, stage),
      edp: expertDpGroup(l, stage),
      pp: ppPair(l, stage),
    },
    siblings: siblingGroups(l, stage),
    cache: new Map(),
  };
}

export function commTime(
  net: StageNet,
  group: keyof StageNet["groups"],
  op: CollectiveOp,
  bytes: number,
): CommTime {
  const ranks = net.groups[group];
  if (ranks.length <= 1 || bytes <= 0) return { timeS: 0, tier: "scaleUp" };
  const key = `${group}|${op}|${bytes}`;
  let t = net.cache.get(key);
  if (!t) {
    t = net.comm.time(op, ranks, bytes, net.siblings[group]);
    net.cache.set(key, t);
  }
  return t;
}

/** A pass being assembled: compute seconds and the communication exposed inside it. */
interface Acc {
  computeS: number;
  causes: Ledger;
}

function expose(acc: Acc, kind: CommKind, collective: string, t: CommTime, seconds = t.timeS): void {
  addCause(acc.causes, kind, collective, t.tier, seconds);
}

function finish(acc: Acc): PassCost {
  return { computeS: acc.computeS, causes: acc.causes, timeS: acc.computeS + ledgerTotal(acc.causes) };
}

function gemmSeconds(plan: TrainingPlan, ops: ComputeOp[]): number {
  return opsTime(
    plan.target,
    ops.filter((o) => o.kernel === "gemm" && o.cls === "gemm"),
  );
}

function attentionSeconds(plan: TrainingPlan, ops: ComputeOp[]): number {
  return opsTime(
    plan.target,
    ops.filter((o) => o.cls === "attention"),
  );
}

/**
 * Tensor-parallel traffic of one pass: per block (attention; the MLP unless it is a MoE block without
 * shared experts), sequence parallelism does an all-gather and a reduce-scatter of the T×h activation,
 * plain tensor parallelism one all-reduce of it (Korthikanti et al. §4.2.2). Overlapped with the block's
 * GEMMs only when tp comm overlap is on.
 */
function tpTraffic(plan: TrainingPlan, net: StageNet, acc: Acc, blocks: number, gemmS: number): void {
  if (plan.p.tp <= 1 || blocks === 0) return;
  const bytes = ((plan.workload.microBatch * plan.model.seqLength) / plan.p.cp) * plan.model.hidden * ACT;
  const parts: [string, CommTime][] = plan.shard.sequenceParallel
    ? [
        ["all-gather", commTime(net, "tp", "all-gather", bytes)],
        ["reduce-scatter", commTime(net, "tp", "reduce-scatter", bytes)],
      ]
    : [["all-reduce", commTime(net, "tp", "all-reduce", bytes)]];
  let total = 0;
  for (const [, t] of parts) total += blocks * t.timeS;
  const exposedShare = plan.tpCommOverlap ? Math.max(0, total - gemmS) / total : 1;
  for (const [name, t] of parts) expose(acc, "tp", name, t, blocks * t.timeS * exposedShare);
}

/** Ring attention: cp−1 KV exchanges per pass, each hidden behind one block of attention compute. */
function cpTraffic(plan: TrainingPlan, net: StageNet, acc: Acc, attnS: number, factor: number): void {
  const cp = plan.p.cp;
  if (cp <= 1) return;
  const d = layerDims(plan.model);
  const T = (plan.workload.microBatch * plan.model.seqLength) / cp;
  const bytes = (factor * T * (d.kDim + d.vDim) * ACT) / plan.p.tp;
  const t = commTime(net, "cp", "send-recv", bytes);
  expose(acc, "cp", "send-recv (KV ring)", t, (cp - 1) * Math.max(0, t.timeS - attnS / cp));
}

/**
 * Expert-parallel dispatch and combine all-to-all of the routed tokens; with expert tensor parallelism
 * the etp ranks also all-gather the tokens their experts take (each computes a slice of every such
 * expert) and reduce-scatter the partial outputs of the row-parallel fc2 (Megatron-Core's ETP).
 */
function epTraffic(plan: TrainingPlan, net: StageNet, acc: Acc, count: number): void {
  const moe = plan.model.moe;
  if (!moe) return;
  const T = (plan.workload.microBatch * plan.model.seqLength) / plan.p.cp;
  const bytes = (T / plan.p.tp) * moe.topK * plan.model.hidden * ACT;
  if (plan.p.ep > 1) {
    const t = commTime(net, "ep", "all-to-all", bytes);
    expose(acc, "ep", "all-to-all", t, count * t.timeS);
  }
  const etp = plan.p.etp ?? 1;
  if (etp > 1) {
    // the gathered buffer: the pairs of all etp ranks, each with its own
    const ag = commTime(net, "etp", "all-gather", etp * bytes);
    const rs = commTime(net, "etp", "reduce-scatter", etp * bytes);
    expose(acc, "ep", "all-gather (expert TP)", ag, (count / 2) * ag.timeS);
    expose(acc, "ep", "reduce-scatter (expert TP)", rs, (count / 2) * rs.timeS);
  }
}

/** ZeRO-3: gather the layer's weights before each pass (prefetched behind the previous layer). */
function zero3Traffic(
  plan: TrainingPlan,
  net: StageNet,
  acc: Acc,
  layer: { dense: number; expert: number },
  backward: boolean,
  passS: number,
): void {
  if (plan.p.zero < 3) return;
  let total = 0;
  const parts: [string, CommTime][] = [];
  for (const [expert, params] of [
    [false, layer.dense],
    [true, layer.expert],
  ] as const) {
    if (params <= 0) continue;
    const group = expert ? "edp" : "dp";
    const bytes = params * GRAD_BYTES; // the gathered buffer: the layer's weights on this tp/ep shard
    const ag = commTime(net, group, "all-gather", bytes);
    parts.push(["all-gather (ZeRO-3 weights)", ag]);
    total += ag.timeS;
    if (backward) {
      const rs = commTime(net, group, "reduce-scatter", bytes);
      parts.push(["reduce-scatter (ZeRO-3 gradients)", rs]);
      total += rs.timeS;
    }
  }
  if (total <= 0) return;
  const share = Math.max(0, total - passS) / total;
  for (const [name, t] of parts) expose(acc, "dp", name, t, t.timeS * share);
}

/** Parameters per rank of one layer: dense part (split by tp), routed experts (split by ep · etp). */
function layerParams(plan: TrainingPlan, moe: boolean): { dense: number; expert: number } {
  const pc = parameterCount(plan.model);
  if (!moe) return { dense: (pc.attentionPerLayer + pc.denseMlpPerLayer) / plan.p.tp, expert: 0 };
  return {
    dense: (pc.attentionPerLayer + pc.moeMlpPerLayer - pc.routedExpertsPerLayer) / plan.p.tp,
    expert: pc.routedExpertsPerLayer / (plan.p.ep * (plan.p.etp ?? 1)),
  };
}

function layerCost(plan: TrainingPlan, net: StageNet, moe: boolean): { fwd: PassCost; bwd: PassCost } {
  const fwdOps = layerForwardOps(plan.model, moe, plan.shard);
  const bwdOps = backwardOps(fwdOps);
  const recompute = plan.workload.recompute;
  const recomputeOps =
    recompute === "full" ? fwdOps : recompute === "selective" ? selectiveRecomputeOps(fwdOps) : [];
  const blocks = moe && (plan.model.moe?.sharedExperts ?? 0) === 0 ? 1 : 2;
  const params = layerParams(plan, moe);

  const fwd: Acc = { computeS: opsTime(plan.target, fwdOps), causes: new Map() };
  tpTraffic(plan, net, fwd, blocks, gemmSeconds(plan, fwdOps));
  cpTraffic(plan, net, fwd, attentionSeconds(plan, fwdOps), 1);
  if (moe) epTraffic(plan, net, fwd, 2);
  zero3Traffic(plan, net, fwd, params, false, fwd.computeS);

  const bwd: Acc = {
    computeS: opsTime(plan.target, bwdOps) + opsTime(plan.target, recomputeOps),
    causes: new Map(),
  };
  tpTraffic(plan, net, bwd, blocks, gemmSeconds(plan, bwdOps));
  cpTraffic(plan, net, bwd, attentionSeconds(plan, bwdOps), 2);
  if (moe) epTraffic(plan, net, bwd, 2);
  if (recompute === "full") {
    // the recomputed forward repeats its communication
    tpTraffic(plan, net, bwd, blocks, gemmSeconds(plan, fwdOps));
    cpTraffic(plan, net, bwd, attentionSeconds(plan, fwdOps), 1);
    if (moe) epTraffic(plan, net, bwd, 2);
  }
  zero3Traffic(plan, net, bwd, params, true, bwd.computeS);
  return { fwd: finish(fwd), bwd: finish(bwd) };
}

function scalePass(into: Acc, pass: PassCost, times: number): void {
  into.computeS += pass.computeS * times;
  mergeLedger(into.causes, pass.causes, times);
}

/** The embedding (first chunk) or the output layer and loss (last chunk) as one more pass piece. */
function endCost(plan: TrainingPlan, net: StageNet, ops: ComputeOp[]): { fwd: PassCost; bwd: PassCost } {
  const fwd: Acc = { computeS: opsTime(plan.target, ops), causes: new Map() };
  const bwd: Acc = { computeS: opsTime(plan.target, backwardOps(ops)), causes: new Map() };
  // one tensor-parallel collective of the T×h activation each way (vocab-parallel embedding / logits)
  if (plan.p.tp > 1) {
    const bytes = ((plan.workload.microBatch * plan.model.seqLength) / plan.p.cp) * plan.model.hidden * ACT;
    const op: CollectiveOp = plan.shard.sequenceParallel ? "reduce-scatter" : "all-reduce";
    const t = commTime(net, "tp", op, bytes);
    expose(fwd, "tp", op, t);
    expose(bwd, "tp", op, t);
  }
  return { fwd: finish(fwd), bwd: finish(bwd) };
}

export function stageCost(plan: TrainingPlan, net: StageNet, stage: number): StageCost {
  const pc = parameterCount(plan.model);
  let dense: { fwd: PassCost; bwd: PassCost } | undefined;
  let moe: { fwd: PassCost; bwd: PassCost } | undefined;
  const chunks: ChunkCost[] = [];
  for (const c of stageChunks(plan.model, plan.p.pp, plan.p.vpp, stage)) {
    const fwd: Acc = { computeS: 0, causes: new Map() };
    const bwd: Acc = { computeS: 0, causes: new Map() };
    const buckets: GradBucket[] = [];
    if (c.output) {
      const out = endCost(plan, net, outputForwardOps(plan.model, plan.shard));
      scalePass(fwd, out.fwd, 1);
      scalePass(bwd, out.bwd, 1);
      buckets.push({ expert: false, params: pc.output / plan.p.tp });
    }
    if (c.dense > 0) {
      dense ??= layerCost(plan, net, false);
      scalePass(fwd, dense.fwd, c.dense);
      scalePass(bwd, dense.bwd, c.dense);
    }
    if (c.moe > 0) {
      moe ??= layerCost(plan, net, true);
      scalePass(fwd, moe.fwd, c.moe);
      scalePass(bwd, moe.bwd, c.moe);
    }
    // backward produces the last layer's gradients first; MoE layers come after the dense ones
    for (let i = 0; i < c.moe; i++) {
      const lp = layerParams(plan, true);
      buckets.push({ expert: false, params: lp.dense }, { expert: true, params: lp.expert });
    }
    for (let i = 0; i < c.dense; i++) buckets.push({ expert: false, params: layerParams(plan, false).dense });
    if (c.embedding) {
      const emb = endCost(plan, net, embeddingForwardOps(plan.model, plan.shard));
      scalePass(fwd, emb.fwd, 1);
      scalePass(bwd, emb.bwd, 1);
      buckets.push({ expert: false, params: pc.embedding / plan.p.tp });
    }
    chunks.push({ fwd: finish(fwd), bwd: finish(bwd), buckets });
  }
  const T = (plan.workload.microBatch * plan.model.seqLength) / plan.p.cp;
  const p2p =
    plan.p.pp > 1
      ? commTime(net, "pp", "send-recv", (T * plan.model.hidden * ACT) / plan.p.tp)
      : { timeS: 0, tier: "scaleUp" };
  return { chunks, p2pS: p2p.timeS, p2pTier: p2p.tier };
}
