/**
 * Serving pools: where each instance sits, what it holds in HBM and how much KV cache is left.
 *
 * An instance spans tp × dp accelerators of its group (DeepSeek-style attention data parallelism: dp
 * attention replicas of tp ranks each) and spreads the routed experts over ep of them. Instances are placed
 * one after another from the group's first accelerator (an instance that would straddle two scale-up
 * domains moves to the next one when there is room); when prefill and decode share a group, decode
 * instances follow the prefill ones. A service given a job's accelerators (a PlacementWindow) is placed
 * the same way inside them, from their first one.
 *
 * Memory per accelerator (docs/inference-model.md, "Memory"):
 *   usable    = HBM × 0.9  (HBM as the device exposes it, `exposedHbm`; 0.9 is vLLM's default
 *                          gpu_memory_utilization; the rest is activations and runtime)
 *   weights   = (P_total − P_routed) × bytes / tp + P_routed × bytes / (ep × etp)
 *               etp = tp when ep = 1 (experts split over the TP ranks, `expertTp`), else 1
 *   KV/token  = kvBytesPerToken × max(1/tp, 1/kvHeads)  (GQA heads split by tp, replicated past kvHeads)
 *             = kvBytesPerToken                          (MLA: the latent is replicated over tp)
 *   capacity  = dp × ⌊(usable − weights) / KV/token⌋ tokens per instance
 */
import { exposedHbm } from "../../catalog/accelerators.js";
import type { AcceleratorSpec } from "../../catalog/types.js";
import { WeftError } from "../../errors.js";
import { moeLayerCount } from "../../model/dims.js";
import { kvBytesPerToken } from "../../model/kv.js";
import { parameterCount } from "../../model/params.js";
import { ELEMENT_BYTES } from "../../model/precision.js";
import { COLOCATED_PREFILL_TOKENS, EPLB_IMBALANCE } from "../../scenario/inference.js";
import type {
  GroupSpec,
  InferenceWorkload,
  InstancePool,
  ModelSpec,
  Scenario,
} from "../../scenario/types.js";
import { decimalBytes } from "./decimal-bytes.js";

/** Share of HBM the serving engine may use (vLLM `gpu_memory_utilization` default). */
export const HBM_UTILIZATION = 0.9;

/** Prompt tokens per prefill batch per attention replica when the pool does not say. */
export const DEFAULT_PREFILL_TOKENS = 8192;

export type PoolRole = "prefill" | "decode" | "colocated";

export interface PoolPlan {
  role: PoolRole;
  group: GroupSpec;
  groupIndex: number;
  accelerator: AcceleratorSpec;
  tp: number;
  ep: number;
  dp: number;
  instances: number;
  maxBatch: number;
  /** Two-batch overlap of the expert-parallel all-to-alls with compute (step-cost.ts). */
  overlap: "none" | "two-batch";
  /** Prompt tokens per prefill batch per attention replica (co-located: tokens per step per replica). */
  prefillTokens: number;
  /** Expert-parallel kernels: NCCL all-to-alls or DeepEP's. */
  epKernels: "nccl" | "deepep";
  /** Expert slots beyond the model's experts (an EPLB's redundant copies). */
  redundantExperts: number;
  /** Busiest expert rank's placed load over the mean (sampling noise comes on top). */
  expertImbalance: number;
  /** Accelerators per instance: tp × dp. */
  perInstance: number;
  /** Global accelerator rank of each instance's first accelerator. */
  instanceFirst: Int32Array;
  /** Bytes per weight element (bf16: 2, fp8: 1, nvfp4: 0.5625, mxfp4: 0.53125). */
  elementBytes: number;
  weightsPerAcceleratorBytes: number;
  usablePerAcceleratorBytes: number;
  /** KV bytes one token costs on each accelerator that holds it. */
  kvBytesPerTokenPerAccelerator: number;
  /** KV bytes one token costs in total (what a transfer moves). */
  kvBytesPerToken: number;
  /** KV tokens one instance holds. */
  kvCapacityTokens: number;
}

/** Accelerator rank of local accelerator `local` (0 .. tp·dp−1) of instance `instance`. */
export function rankOf(pool: PoolPlan, instance: number, local: number): number {
  return pool.instanceFirst[instance] + local;
}

/** First global accelerator rank of every group (ranks run group by group, node by node). */
export function groupFirstRanks(groups: GroupSpec[]): number[] {
  const out: number[] = [];
  let r = 0;
  for (const g of groups) {
    out.push(r);
    r += g.kind === "accelerator" ? g.nodes * g.acceleratorsPerNode : 0;
  }
  return out;
}

/**
 * The accelerators a service may use: `count` consecutive accelerators of group `groupIndex` (an index of
 * the scenario's groups) from its `offset`-th on (a job's accelerators). Without one, pools are placed from
 * their groups' first accelerator.
 */
export interface PlacementWindow {
  groupIndex: number;
  offset: number;
  count: number;
}

/** Plans the pools of an inference workload: the prefill pool (or the co-located one) and the decode pool. */
export function planPools(
  scenario: Scenario,
  w: InferenceWorkload,
  firstRanks = groupFirstRanks(scenario.cluster.groups),
  window?: PlacementWindow,
): PoolPlan[] {
  const used = new Map<string, number>();
  const pools: PoolPlan[] = [
    planPool(scenario, w, w.prefill, w.decode ? "prefill" : "colocated", firstRanks, used, window),
  ];
  if (w.decode) pools.push(planPool(scenario, w, w.decode, "decode", firstRanks, used, window));
  return pools;
}

function planPool(
  scenario: Scenario,
  w: InferenceWorkload,
  pool: InstancePool,
  role: PoolRole,
  firstRanks: number[],
  used: Map<string, number>,
  window: PlacementWindow | undefined,
): PoolPlan {
  const where = role === "colocated" ? "inference prefill (co-located)" : `inference ${role}`;
  const groups = scenario.cluster.groups;
  const groupIndex = groups.findIndex((g) => g.name === pool.group);
  if (groupIndex < 0) {
    throw new WeftError(
      `${where}: group "${pool.group}" does not exist; groups are ${groups.map((g) => g.name).join(", ")}`,
    );
  }
  const group = groups[groupIndex];
  if (group.kind !== "accelerator" || !group.accelerator) {
    throw new WeftError(
      `${where}: group "${group.name}" is a ${group.kind} group; serving needs an accelerator group`,
    );
  }
  if (window && window.groupIndex !== groupIndex) {
    throw new WeftError(
      `${where}: group "${group.name}" is outside the job's accelerators, which are in group "${groups[window.groupIndex].name}"`,
    );
  }
  checkShape(where, w.model, pool);
  const perInstance = pool.tp * pool.dp;
  const from = window ? window.offset : 0;
  const total = window ? window.offset + window.count : group.nodes * group.acceleratorsPerNode;
  const offset = used.get(group.name) ?? from;
  const need = pool.instances * perInstance;
  const starts = placeInstances(offset, perInstance, group.scaleUp?.domain ?? 1, pool.instances, total);
  if (!starts) {
    const taken = offset - from;
    const others = taken > 0 ? ` (${taken} already taken by the prefill pool)` : "";
    if (window) {
      const first = firstRanks[groupIndex] + window.offset;
      throw new WeftError(
        `${where}: ${pool.instances} instance(s) × tp ${pool.tp} × dp ${pool.dp} = ${need} accelerators do not fit in the ` +
          `job's ${window.count} accelerators (ranks ${first}..${first + window.count - 1} of group "${group.name}")${others}`,
      );
    }
    throw new WeftError(
      `${where}: ${pool.instances} instance(s) × tp ${pool.tp} × dp ${pool.dp} = ${need} accelerators do not fit in group ` +
        `"${group.name}", which has ${total} (${group.nodes} nodes × ${group.acceleratorsPerNode})${others}`,
    );
  }
  used.set(group.name, starts[starts.length - 1] + perInstance);
  const base = firstRanks[groupIndex];
  for (let i = 0; i < starts.length; i++) starts[i] += base;
  const accelerator = group.accelerator;
  const elementBytes = ELEMENT_BYTES[w.precision];
  const kvElementBytes = ELEMENT_BYTES[w.kvPrecision ?? w.precision];
  const weights = weightsPerAccelerator(w.model, pool.tp, pool.ep, elementBytes, pool.redundantExperts);
  const usable = HBM_UTILIZATION * exposedHbm(accelerator);
  if (weights >= usable) {
    throw new WeftError(
      `${where}: ${w.model.name} weights need ${decimalBytes(weights)} per accelerator at tp ${pool.tp}, ep ${pool.ep} ` +
        `(${w.precision}); ${accelerator.id} has ${decimalBytes(exposedHbm(accelerator))} of HBM, ${decimalBytes(usable)} usable ` +
        `(${HBM_UTILIZATION * 100}%). Raise tp or ep, or use fp8`,
    );
  }
  const kvTotal = kvBytesPerToken(w.model, kvElementBytes);
  const kvPerAcc = w.model.mla ? kvTotal : kvTotal * Math.max(1 / pool.tp, 1 / w.model.kvHeads);
  const kvCapacityTokens = pool.dp * Math.floor((usable - weights) / kvPerAcc);
  return {
    role,
    group,
    groupIndex,
    accelerator,
    tp: pool.tp,
    ep: pool.ep,
    dp: pool.dp,
    instances: pool.instances,
    maxBatch: pool.maxBatch,
    overlap: pool.overlap ?? "none",
    prefillTokens:
      pool.prefillTokens ?? (role === "colocated" ? COLOCATED_PREFILL_TOKENS : DEFAULT_PREFILL_TOKENS),
    epKernels: pool.epKernels ?? "nccl",
    redundantExperts: pool.redundantExperts ?? 0,
    expertImbalance: pool.expertImbalance ?? EPLB_IMBALANCE,
    perInstance,
    instanceFirst: starts,
    elementBytes,
    weightsPerAcceleratorBytes: weights,
    usablePerAcceleratorBytes: usable,
    kvBytesPerTokenPerAccelerator: kvPerAcc,
    kvBytesPerToken: kvTotal,
    kvCapacityTokens,
  };
}

/**
 * First accelerator (within the group) of each instance, from `offset` on: one after another, except that
 * an instance that fits in a scale-up domain but would straddle two starts at the next domain boundary
 * (so its TP and EP traffic stays on the scale-up fabric). When that leaves too little room, instances are
 * packed without gaps; undefined when even that does not fit.
 */
function placeInstances(
  offset: number,
  per: number,
  domain: number,
  instances: number,
  total: number,
): Int32Array | undefined {
  const starts = new Int32Array(instances);
  let cursor = offset;
  for (let i = 0; i < instances; i++) {
    if (per <= domain && Math.floor(cursor / domain) !== Math.floor((cursor + per - 1) / domain)) {
      cursor = Math.ceil(cursor / domain) * domain;
    }
    starts[i] = cursor;
    cursor += per;
  }
  if (cursor <= total) return starts;
  if (offset + instances * per > total) return undefined;
  for (let i = 0; i < instances; i++) starts[i] = offset + i * per;
  return starts;
}

/**
 * Weight bytes on one accelerator: non-expert parameters split by tp, routed experts by ep (with their
 * redundant copies: (experts + redundant) / ep experts on each rank) and, without expert parallelism,
 * by tp (expertTp).
 */
export function weightsPerAccelerator(
  model: ModelSpec,
  tp: number,
  ep: number,
  bytesPerParam: number,
  redundantExperts = 0,
): number {
  const pc = parameterCount(model);
  const routed = moeLayerCount(model) * pc.routedExpertsPerLayer;
  const copies = model.moe ? 1 + redundantExperts / model.moe.experts : 1;
  const experts = (routed * copies) / (ep * expertTp({ tp, ep }));
  return ((pc.total - routed) / tp + experts) * bytesPerParam;
}

/**
 * Ranks each routed expert is split over (tensor-parallel experts). Without expert parallelism (ep 1) vLLM,
 * SGLang and TensorRT-LLM shard every expert's FFN over the tensor-parallel ranks, as they do a dense MLP;
 * with it (ep > 1) each expert sits whole on its rank.
 */
export function expertTp(pool: { tp: number; ep: number }): number {
  return pool.ep === 1 ? pool.tp : 1;
}

function checkShape(where: string, model: ModelSpec, pool: InstancePool): void {
  for (const key of ["tp", "ep", "dp", "instances", "maxBatch"] as const) {
    const v = pool[key];
    if (!(Number.isInteger(v) && v >= 1))
      throw new WeftError(`${where}: ${key} must be a whole number >= 1, got ${v}`);
  }
  if (pool.ep > pool.tp * pool.dp) {
    throw new WeftError(
      `${where}: ep ${pool.ep} spans more accelerators than the instance has (tp ${pool.tp} × dp ${pool.dp})`,
    );
  }
  if (pool.ep > 1 && !model.moe) {
    throw new WeftError(
      `${where}: ep ${pool.ep} needs a mixture-of-experts model; ${model.name} is dense (use ep 1)`,
    );
  }
  const slots = model.moe ? model.moe.experts + (pool.redundantExperts ?? 0) : 0;
  if (model.moe && slots % pool.ep !== 0) {
    const redundant = pool.redundantExperts ? ` + ${pool.redundantExperts} redundant` : "";
    throw new WeftError(
      `${where}: ep ${pool.ep} must divide the ${model.moe.experts}${redundant} experts of ${model.name}`,
    );
  }
  if ((pool.tp * pool.dp) % pool.ep !== 0) {
    throw new WeftError(
      `${where}: ep ${pool.ep} must divide the instance's tp × dp = ${pool.tp * pool.dp} accelerators`,
    );
  }
}
