/**
 * Executing collectives. `collectiveTime` (one group alone) and `concurrentCollectiveTime` (every copy of
 * a group at once, as in a training step) are what the workload models call for every collective they
 * issue: choose (or take) the algorithm, pick the protocol, time the schedule — in closed form for the
 * analytical fidelity, with the context's engine otherwise — and cache the answer.
 * `runCollectiveWorkload` is the nccl-tests-style sweep of a scenario.
 */
import { keyError, WeftError } from "../errors.js";
import type { CollectiveResults, CollectiveRow } from "../results/types.js";
import type { Router } from "../routing/types.js";
import type { CollectiveAlgorithm, CollectiveOp, CollectiveWorkload, Scenario } from "../scenario/types.js";
import type { FlowEngine } from "../sim/engines/types.js";
import type { Fabric } from "../topology/fabric.js";
import { fabricSummary } from "../topology/summary.js";
import { formatBytes } from "../units/format.js";
import { busBandwidthFactor } from "./busbw.js";
import { closedFormTimer, engineTimer, sharedBottleneck, timePhases } from "./evaluate.js";
import { groupSet, groupsSignature } from "./group-set.js";
import { type RankLayout, rankLayout } from "./layout.js";
import { calibratedModel, MODEL, type ProtocolModel, type TierCalibration } from "./protocol.js";
import { type BuildOptions, buildPhases } from "./schedule.js";
import { shapeSignature } from "./shape.js";
import { tune } from "./tuner.js";
import type { CollectiveContext, CollectiveTime, StepTier } from "./types.js";

const timeCache = new WeakMap<CollectiveContext, Map<string, CollectiveTime>>();

/**
 * Time of one collective of `bytes` (nccl-tests buffer size) over `ranks` (global accelerator ranks), the
 * group alone on the fabric. `algorithm` = auto lets the tuner choose.
 */
export function collectiveTime(
  ctx: CollectiveContext,
  op: CollectiveOp,
  ranks: Int32Array,
  bytes: number,
  algorithm: CollectiveAlgorithm = "auto",
): CollectiveTime {
  return concurrentCollectiveTime(ctx, op, [ranks], bytes, algorithm);
}

/**
 * Time of the same collective run at the same moment by every group of `groups` (disjoint, of one size,
 * each a copy of the first: position p of every group plays the part of position p of the first), as
 * every data-parallel group of a training stage reduces its gradients at once. The schedule is chosen
 * and built on the first group; each phase's flows of all groups are evaluated together (flow engine),
 * or every group's load is counted on the NIC ports and shared fabric links (closed form). Cached per
 * (op, groups, bytes, algorithm); in closed form per (op, shape of the groups, bytes, algorithm), so the
 * groups of every pipeline stage of a symmetric fabric cost one evaluation (shape.ts).
 */
export function concurrentCollectiveTime(
  ctx: CollectiveContext,
  op: CollectiveOp,
  groups: readonly Int32Array[],
  bytes: number,
  algorithm: CollectiveAlgorithm = "auto",
): CollectiveTime {
  if (groups.length === 0) throw new WeftError("concurrent collectives need at least one group of ranks");
  let cache = timeCache.get(ctx);
  if (!cache) {
    cache = new Map();
    timeCache.set(ctx, cache);
  }
  // The closed form depends only on the groups' shape, so copies of one shape (the groups of every
  // pipeline stage) share a time; the engines hash flows onto paths by node, so they, and a single group,
  // are keyed by the ranks themselves.
  const analytical = ctx.fidelity === "analytical";
  const where =
    analytical && groups.length > 1 ? shapeSignature(ctx.fabric, groups) : groupsSignature(groups);
  const key = `${op}|${where}|${bytes}|${algorithm}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const layout = rankLayout(ctx.fabric, ctx.router, groups[0]);
  const set = groupSet(layout, groups);
  const options = buildOptions(ctx, layout);
  const model = ctx.model ?? MODEL;
  const closed = closedFormTimer(set, model);
  const choice = tune(layout, op, bytes, algorithm, options, closed, model);
  // Analytical: the tuner's closed form is the answer. Otherwise build the chosen schedule's flows and
  // time every group's copy of them together with the engine.
  const timed = analytical
    ? timePhases(layout, choice.phases, choice.protocol, closed, sharedBottleneck(set, model), model)
    : timePhases(
        layout,
        buildPhases(layout, op, bytes, choice.algorithm, options),
        choice.protocol,
        engineTimer(set, ctx),
        sharedBottleneck(set, model),
        model,
      );
  const result: CollectiveTime = {
    timeS: timed.timeS,
    algorithm: choice.algorithm,
    protocol: choice.protocol,
    phases: timed.phases,
  };
  cache.set(key, result);
  return result;
}

/** Which levels can reduce in the network for these ranks. */
export function buildOptions(ctx: CollectiveContext, layout: RankLayout): BuildOptions {
  const inc = ctx.inNetwork;
  let scaleUp = !!inc && layout.n > 0;
  const reducing = inc?.scaleUp ?? [];
  const groupOf = ctx.fabric.accelerators.group;
  const { ranks, upSwitchStart } = layout;
  for (let p = 0; p < layout.n && scaleUp; p++) {
    // hasUpSwitch(layout, p), inline: this runs once per rank.
    scaleUp = !!reducing[groupOf[ranks[p]]] && upSwitchStart[p + 1] > upSwitchStart[p];
  }
  return {
    scaleUpReduction: scaleUp,
    scaleOutReduction: !!inc?.scaleOut,
    scaleOutCapable: !!inc?.scaleOut || !!inc?.scaleOutCapable,
  };
}

/**
 * In-network reduction a scenario declares: per group its scale-up spec's; across domains the scale-out
 * switch's capability (explicit `in-network`), used by `auto` only where `scaleOut.inNetworkReduction` is on.
 */
export function inNetworkOf(scenario: Scenario): {
  scaleUp: boolean[];
  scaleOut: boolean;
  scaleOutCapable: boolean;
} {
  const so = scenario.cluster.scaleOut;
  const capable = so.switch.inNetworkReduction === true;
  return {
    scaleUp: scenario.cluster.groups.map((g) => g.kind === "accelerator" && !!g.scaleUp?.inNetworkReduction),
    scaleOut: capable && so.inNetworkReduction === true,
    scaleOutCapable: capable,
  };
}

/**
 * A collective context for a scenario's fabric: its load balancing, seed, fidelity and which levels reduce
 * in the network (what training and inference models should pass to `collectiveTime`).
 */
export function collectiveContext(
  scenario: Scenario,
  fabric: Fabric,
  router: Router,
  engine: FlowEngine,
): CollectiveContext {
  return {
    fabric,
    router,
    engine,
    loadBalancing: scenario.cluster.transport.loadBalancing,
    seed: scenario.simulation.seed,
    fidelity: scenario.simulation.fidelity,
    inNetwork: inNetworkOf(scenario),
    ...modelOf(scenario),
  };
}

/**
 * The cluster's calibrated link constants, where its catalog entries carry them (`linkEfficiency`,
 * `stepLatency` on the scale-up technology of the first accelerator group and on the scale-out switch, as
 * `weft calibrate` writes them); none otherwise (MODEL applies).
 */
export function modelOf(scenario: Scenario): { model?: ProtocolModel } {
  const up = scenario.cluster.groups.find((g) => g.kind === "accelerator")?.scaleUp;
  const sw = scenario.cluster.scaleOut.switch;
  const tier = (
    c: { linkEfficiency?: number; stepLatency?: number } | undefined,
  ): TierCalibration | undefined =>
    c && (c.linkEfficiency !== undefined || c.stepLatency !== undefined)
      ? { linkEfficiency: c.linkEfficiency, stepLatencyS: c.stepLatency }
      : undefined;
  const tiers: Partial<Record<StepTier, TierCalibration>> = {};
  const scaleUp = tier(up);
  const inNetworkUp = tier(
    up && { linkEfficiency: up.inNetworkLinkEfficiency, stepLatency: up.inNetworkStepLatency },
  );
  const scaleOut = tier(sw);
  if (scaleUp) tiers.scaleUp = scaleUp;
  if (inNetworkUp) tiers.inNetworkUp = inNetworkUp;
  if (scaleOut) tiers.scaleOut = scaleOut;
  return Object.keys(tiers).length > 0 ? { model: calibratedModel(tiers) } : {};
}

/** The global ranks a collective workload runs on: all, a group's, or the first N. */
export function workloadRanks(ranks: CollectiveWorkload["ranks"], fabric: Fabric): Int32Array {
  const total = fabric.accelerators.count;
  if (ranks === "all") return Int32Array.from({ length: total }, (_, i) => i);
  if (typeof ranks === "number") {
    if (!Number.isInteger(ranks) || ranks < 1 || ranks > total) {
      throw keyError(
        "workload.collective.ranks",
        `collective ranks: ${ranks} is not between 1 and the ${total} accelerators of the cluster`,
      );
    }
    return Int32Array.from({ length: ranks }, (_, i) => i);
  }
  const group = fabric.groups.find((g) => g.name === ranks);
  if (group?.kind !== "accelerator") {
    const names = fabric.groups.filter((g) => g.kind === "accelerator").map((g) => g.name);
    throw keyError(
      "workload.collective.ranks",
      `collective ranks: "${ranks}" is not an accelerator group; expected all, a number or one of ${names.join(", ")}`,
    );
  }
  const { firstRank, endpoints } = group;
  return Int32Array.from({ length: endpoints.length }, (_, i) => firstRank + i);
}

/** Bytes of nccl-tests' default element type, float (`-d float`). */
const FLOAT_BYTES = 4;

/** The collectives nccl-tests splits into one equal part per rank (a rank's send or receive share). */
const PER_RANK_OPS = new Set(["all-gather", "reduce-scatter", "all-to-all"]);

/**
 * The buffer nccl-tests times for a requested size, with the size and count it prints (nccl-tests
 * src/common.cu `setupArgs`, and each test's `GetCollByteCount`: src/all_gather.cu, reduce_scatter.cu,
 * alltoall.cu). count = ⌊size / 4⌋ floats. All-gather, reduce-scatter and all-to-all give each rank
 * ⌊count / n⌋ floats rounded down to a multiple of 16 bytes, print that per-rank count, and print as size
 * the whole buffer, per-rank count × n × 4 B (0 when a rank's share rounds to nothing: all-gather -b 8 on
 * 16 ranks). The others print count and count × 4 B.
 */
export function ncclTestsBuffer(
  op: string,
  requestedBytes: number,
  nranks: number,
): { sizeBytes: number; count: number } {
  const count = Math.floor(requestedBytes / FLOAT_BYTES);
  if (!PER_RANK_OPS.has(op)) return { sizeBytes: count * FLOAT_BYTES, count };
  const align = 16 / FLOAT_BYTES;
  const perRank = Math.floor(count / nranks / align) * align;
  return { sizeBytes: perRank * nranks * FLOAT_BYTES, count: perRank };
}

/**
 * The nccl-tests-style sweep of a scenario's collective workload: one row per requested size, each timed
 * and printed at the buffer nccl-tests would use for it (`ncclTestsBuffer`).
 */
export function runCollectiveWorkload(
  scenario: Scenario,
  fabric: Fabric,
  ctx: CollectiveContext,
  onProgress?: (done: number, total: number, label?: string) => void,
): CollectiveResults {
  const started = performance.now();
  const w = scenario.workload;
  if (w.kind !== "collective") {
    throw new WeftError(`runCollectiveWorkload needs a collective workload, got ${w.kind}`);
  }
  const fidelity = ctx.fidelity ?? scenario.simulation.fidelity;
  const context: CollectiveContext = {
    ...ctx,
    fidelity,
    inNetwork: ctx.inNetwork ?? inNetworkOf(scenario),
    ...(ctx.model ? {} : modelOf(scenario)),
  };
  const ranks = workloadRanks(w.ranks, fabric);
  const factor = busBandwidthFactor(w.op, ranks.length);
  const rows: CollectiveRow[] = w.sizes.map((requested, i) => {
    onProgress?.(i, w.sizes.length, formatBytes(requested));
    const { sizeBytes: size, count } = ncclTestsBuffer(w.op, requested, ranks.length);
    const t = collectiveTime(context, w.op, ranks, size, w.algorithm);
    const algbw = t.timeS > 0 ? size / t.timeS / 1e9 : 0;
    return {
      sizeBytes: size,
      count,
      type: "float",
      timeUs: t.timeS * 1e6,
      algbwGBps: algbw,
      busbwGBps: algbw * factor,
      algorithm: `${t.algorithm}/${t.protocol}`,
    };
  });
  return {
    kind: "collective",
    scenario: scenario.name,
    fidelity,
    wallS: (performance.now() - started) / 1000,
    fabric: fabricSummary(fabric),
    warnings: [...(scenario.warnings ?? [])],
    op: w.op,
    ranks: ranks.length,
    rows,
  };
}
