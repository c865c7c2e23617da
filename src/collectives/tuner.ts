/**
 * `auto`: pick algorithm × protocol per size and scale the way NCCL's tuner does (src/graph/tuning.cc,
 * src/enqueue.cc): predict the time of every candidate and take the fastest. Predictions are the closed
 * form of evaluate.ts (cheap: no routing, no flow engine). The candidates per operation are what NCCL would
 * consider: all-reduce — ring, tree, in-network inside a reducing scale-up domain (NVLS), hierarchical
 * across domains (NVLS-tree / CollNet), in-network across domains where the scale-out switches reduce
 * (SHARP); all-gather and reduce-scatter — ring, in-network in one domain, hierarchical across domains,
 * halving-doubling when every rank is alone in its domain (NCCL's PAT); broadcast and reduce — ring and
 * tree; all-to-all and send-recv — direct.
 */
import { WeftError } from "../errors.js";
import type { CollectiveAlgorithm, CollectiveOp } from "../scenario/types.js";
import { type StepTimer, timePhases } from "./evaluate.js";
import type { RankLayout } from "./layout.js";
import { MODEL, type ProtocolModel, protocolSupported } from "./protocol.js";
import { type BuildOptions, buildPhases } from "./schedule.js";
import { treeAllReduceBound } from "./tree-bound.js";
import { type Algorithm, type Phase, PROTOCOLS, type Protocol } from "./types.js";

export interface Choice {
  algorithm: Algorithm;
  protocol: Protocol;
  /** Protocol-independent phases of the chosen algorithm, as sketches (rank loads, no flows). */
  phases: Phase[];
  /** Closed-form prediction, seconds. */
  timeS: number;
}

/** The algorithms `auto` considers for this operation on these ranks. */
export function candidates(layout: RankLayout, op: CollectiveOp, options: BuildOptions): Algorithm[] {
  const D = layout.domains.length;
  const multi = D > 1;
  const twoLevel = multi && layout.maxPerDomain > 1 && layout.uniform;
  const incHere = options.scaleUpReduction && !multi;
  const incAcross = multi && options.scaleOutReduction && layout.uniform;
  switch (op) {
    case "all-reduce":
      return [
        "ring",
        "tree",
        ...(incHere || incAcross ? (["in-network"] as const) : []),
        ...(twoLevel ? (["hierarchical"] as const) : []),
      ];
    case "all-gather":
    case "reduce-scatter":
      return [
        "ring",
        ...(incHere ? (["in-network"] as const) : []),
        ...(twoLevel ? (["hierarchical"] as const) : []),
        ...(layout.maxPerDomain === 1 && isPowerOfTwo(layout.n) ? (["halving-doubling"] as const) : []),
      ];
    case "broadcast":
    case "reduce":
      return ["ring", "tree"];
    case "all-to-all":
    case "send-recv":
      return ["direct"];
  }
}

/**
 * The fastest (algorithm, protocol) by closed form (`timer`: closedFormTimer of the ranks' group set, which
 * counts the copies running alongside); with a fixed algorithm, its fastest protocol.
 */
export function tune(
  layout: RankLayout,
  op: CollectiveOp,
  bytes: number,
  algorithm: CollectiveAlgorithm,
  options: BuildOptions,
  timer: StepTimer,
  model: ProtocolModel = MODEL,
): Choice {
  const list = algorithm === "auto" ? candidates(layout, op, options) : [algorithm];
  const bounds = new Map(list.map((alg) => [alg, lowerBound(layout, op, bytes, alg, list.length, model)]));
  // Lowest bound first: the likely winner is priced first, and a candidate whose lower bound already
  // reaches the best time (a ring's 2(n−1) latencies at 16K ranks, a tree whose busiest NIC is slower than
  // the hierarchical schedule) is never built; the choice and its time are those of pricing every one.
  const ordered = [...list].sort((a, b) => bounds.get(a)! - bounds.get(b)!);
  let best: Choice | undefined;
  let lastError: unknown;
  for (const alg of ordered) {
    if (best && bounds.get(alg)! >= best.timeS) continue;
    let phases: Phase[];
    try {
      phases = buildPhases(layout, op, bytes, alg, { ...options, sketch: true });
    } catch (e) {
      if (algorithm !== "auto" || !(e instanceof WeftError)) throw e;
      lastError = e;
      continue;
    }
    for (const protocol of PROTOCOLS) {
      if (!protocolSupported(phases, protocol)) continue;
      const { timeS } = timePhases(layout, phases, protocol, timer, undefined, model);
      if (!best || timeS < best.timeS) best = { algorithm: alg, protocol, phases, timeS };
    }
  }
  if (!best) {
    throw lastError instanceof Error
      ? lastError
      : new WeftError(`no algorithm implements ${op} on these ranks`);
  }
  return best;
}

/**
 * A lower bound on a candidate's closed-form time, cheaper than building it: the tree all-reduce's
 * pipeline with its busiest NIC (tree-bound.ts), else the step-count bound. A lone candidate is priced
 * anyway, so its bound is not computed.
 */
function lowerBound(
  layout: RankLayout,
  op: CollectiveOp,
  bytes: number,
  algorithm: Algorithm,
  candidates: number,
  model: ProtocolModel,
): number {
  if (candidates === 1) return 0;
  if (algorithm === "tree" && op === "all-reduce") {
    return Math.max(treeAllReduceBound(layout, bytes, model), latencyBound(layout, op, algorithm, model));
  }
  return latencyBound(layout, op, algorithm, model);
}

/**
 * A lower bound on an algorithm's time from its step count alone: base latency + steps × the smallest α
 * (every step costs at least that). Ring steps grow with n; the others' are taken as one.
 */
export function latencyBound(
  layout: RankLayout,
  op: CollectiveOp,
  algorithm: Algorithm,
  model: ProtocolModel = MODEL,
): number {
  const n = layout.n;
  let steps = 1;
  if (algorithm === "ring") steps = op === "all-reduce" ? 2 * (n - 1) : op === "send-recv" ? 1 : n - 1;
  else if (algorithm === "tree") steps = Math.max(1, 2 * (layout.maxPerDomain - 1));
  let bound = Number.POSITIVE_INFINITY;
  for (const p of PROTOCOLS) {
    const alpha = Math.min(model.stepLatencyS.scaleUp[p], model.stepLatencyS.scaleOut[p]);
    bound = Math.min(bound, model.baseLatencyS[p] + steps * alpha);
  }
  return bound;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}
