/**
 * How the training step asks the network what a collective costs. The step simulator only sees a
 * CommModel, so it runs against closed forms (here), the collective algorithms over a built fabric
 * (`collectiveCommModel`), or anything else with the same shape. Every collective of a step is issued by
 * all copies of its group at once (`siblingGroups`), and the CommModel is told so.
 */

import { collectiveTime, concurrentCollectiveTime } from "../../collectives/run.js";
import type { CollectiveContext } from "../../collectives/types.js";
import { downPorts } from "../../scenario/clos-capacity.js";
import type { CollectiveOp, GroupSpec, Scenario } from "../../scenario/types.js";
import { expertsFolded, foldedSiblings } from "./expert-layout.js";
import { globalRank, type RankLayout } from "./placement.js";

/** Fabric tier that bounds a collective: the slowest link class it crosses. */
export type FabricTier = "scaleUp" | "leaf" | "spine" | "core";

export interface CommTime {
  timeS: number;
  /** `scaleUp` | `leaf` | `spine` | `core` (the tier of the bottleneck). */
  tier: string;
}

export interface CommModel {
  /**
   * Time of one collective over `ranks` (global accelerator ranks, fabric order) with a buffer of `bytes`
   * as nccl-tests counts it: all-reduce, all-gather and reduce-scatter over the full n-rank buffer,
   * all-to-all the bytes each rank sends in total, send-recv the message. `siblings`: the other groups
   * (same size and shape, disjoint) that issue the same collective at the same moment; a model may use
   * them to count the links the copies share.
   */
  time(op: CollectiveOp, ranks: Int32Array, bytes: number, siblings?: readonly Int32Array[]): CommTime;
}

/** The kinds of groups a training stage communicates in (stage-cost.ts). */
export type GroupKind = "tp" | "cp" | "ep" | "etp" | "dp" | "edp" | "pp";

/**
 * For each kind of group of stage s, the groups that run alongside the representative one (placement.ts
 * picks the representative: tensor, context and data index 0). In Megatron order rank = first + t +
 * tp·(j + cp·dp·s) with t the tensor index and j = c + cp·d the data × context index, so:
 * - tp: the tensor-parallel group of every other (c, d) of the stage;
 * - dp: the gradient group of every other tensor index t;
 * - ep: every other block of ep consecutive j, for every t; edp: every other offset e < ep (stride ep), every t;
 * - pp: the pair (stage s, stage s + 1) of every other (t, c, d): every rank of the stage sends at once;
 * - cp: the KV-ring exchange as disjoint pairs (c = 2k, 2k + 1) of every (t, d): each rank sends to one
 *   neighbour and receives from it, as each rank of the ring sends to one and receives from another.
 * Stages do not run in lock step, so only the copies within a stage are counted as concurrent.
 */
export function siblingGroups(l: RankLayout, s: number): Record<GroupKind, Int32Array[]> {
  const { tp, cp, dp, pp, ep } = l;
  const J = cp * dp;
  const rank = (t: number, j: number, stage: number) => globalRank(l, t + tp * (j + J * stage));
  // Groups of one rank never communicate: they get no copies.
  const tpGroups: Int32Array[] = [];
  if (tp > 1)
    for (let j = 1; j < J; j++) tpGroups.push(Int32Array.from({ length: tp }, (_, t) => rank(t, j, s)));
  const dpGroups: Int32Array[] = [];
  if (J > 1)
    for (let t = 1; t < tp; t++) dpGroups.push(Int32Array.from({ length: J }, (_, j) => rank(t, j, s)));
  const epGroups: Int32Array[] = [];
  const edpGroups: Int32Array[] = [];
  const etpGroups: Int32Array[] = [];
  if (expertsFolded(l)) {
    const folded = foldedSiblings(l, s);
    epGroups.push(...folded.ep);
    edpGroups.push(...folded.edp);
    etpGroups.push(...folded.etp);
  } else if (ep > 1 && J % ep === 0) {
    for (let t = 0; t < tp; t++) {
      for (let b = 0; b < J / ep; b++) {
        if (t > 0 || b > 0) epGroups.push(Int32Array.from({ length: ep }, (_, k) => rank(t, b * ep + k, s)));
      }
      for (let e = 0; e < ep && J > ep; e++) {
        if (t > 0 || e > 0)
          edpGroups.push(Int32Array.from({ length: J / ep }, (_, i) => rank(t, i * ep + e, s)));
      }
    }
  }
  const ppGroups: Int32Array[] = [];
  if (pp > 1) {
    for (let t = 0; t < tp; t++) {
      for (let j = 0; j < J; j++) {
        if (t > 0 || j > 0) ppGroups.push(Int32Array.of(rank(t, j, s), rank(t, j, (s + 1) % pp)));
      }
    }
  }
  const cpGroups: Int32Array[] = [];
  if (cp > 1) {
    for (let t = 0; t < tp; t++) {
      for (let d = 0; d < dp; d++) {
        for (let c = 0; c + 1 < cp; c += 2) {
          if (t > 0 || d > 0 || c > 0)
            cpGroups.push(Int32Array.of(rank(t, c + cp * d, s), rank(t, c + 1 + cp * d, s)));
        }
      }
    }
  }
  return {
    tp: tpGroups,
    cp: cpGroups,
    ep: epGroups,
    etp: etpGroups,
    dp: dpGroups,
    edp: edpGroups,
    pp: ppGroups,
  };
}

/**
 * NCCL's achieved share of link bandwidth on large messages: ring busbw over line rate, from NVIDIA's
 * reference figures (data/calibration/nvidia_gtc_reference_busbw.csv: NVLink3 232 of 300 GB/s,
 * NVLink4 370 of 450, NVLink5 700 of 900 → 0.77–0.82) and the maintainers' rule of thumb
 * (nccl_github_issue_datapoints.csv: 24 GB/s per 200G NIC, 46–48 per 400G → 0.96).
 */
export const SCALE_UP_EFFICIENCY = 0.8;
export const SCALE_OUT_EFFICIENCY = 0.96;
/** Fixed cost of launching one collective (NCCL kernel launch and setup), seconds. */
export const COLLECTIVE_OVERHEAD_S = 10e-6;
/** Per-step software cost of a ring or tree step (protocol handshake), seconds. */
export const STEP_OVERHEAD_S = 1e-6;

export interface AlphaBetaSpec {
  /** Per global accelerator rank: its scale-up domain, its leaf switch and its pod (ids only compared). */
  domain: Int32Array;
  leaf: Int32Array;
  pod: Int32Array;
  /** Per accelerator, per direction, bytes/s (already the achieved share), and one-step latency, s. */
  scaleUp: { bandwidth: number; latency: number };
  /** Per accelerator share of its node's NICs, bytes/s (achieved), and one-step latency across the fabric, s. */
  scaleOut: { bandwidth: number; latency: number };
  /** Down:up ratio at the leaf and at the spine (aggregation) tier. */
  oversubscription: { leaf: number; spine: number };
  /** Fixed cost per collective, s. */
  overheadS: number;
}

interface Span {
  n: number;
  /** Largest number of the group's ranks in one scale-up domain. */
  perDomain: number;
  domains: number;
  /** Highest tier crossed. */
  crossed: FabricTier;
}

function span(spec: AlphaBetaSpec, ranks: Int32Array): Span {
  const domains = new Map<number, number>();
  let leaf = spec.leaf[ranks[0]];
  let pod = spec.pod[ranks[0]];
  let leaves = 1;
  let pods = 1;
  for (const r of ranks) {
    const d = spec.domain[r];
    domains.set(d, (domains.get(d) ?? 0) + 1);
    if (spec.leaf[r] !== leaf) leaves = 2;
    if (spec.pod[r] !== pod) pods = 2;
    leaf = spec.leaf[r];
    pod = spec.pod[r];
  }
  let perDomain = 0;
  for (const c of domains.values()) perDomain = Math.max(perDomain, c);
  const crossed: FabricTier =
    domains.size === 1 ? "scaleUp" : pods > 1 ? "core" : leaves > 1 ? "spine" : "leaf";
  return { n: ranks.length, perDomain, domains: domains.size, crossed };
}

/** Per-rank scale-out bandwidth at the highest tier crossed, and the tier that limits it. */
function scaleOutPath(spec: AlphaBetaSpec, crossed: FabricTier): { bandwidth: number; tier: FabricTier } {
  const o = spec.oversubscription;
  const b = spec.scaleOut.bandwidth;
  if (crossed === "core") {
    if (o.spine > 1) return { bandwidth: b / (o.leaf * o.spine), tier: "core" };
    if (o.leaf > 1) return { bandwidth: b / o.leaf, tier: "spine" };
  } else if (crossed === "spine" && o.leaf > 1) return { bandwidth: b / o.leaf, tier: "spine" };
  return { bandwidth: b, tier: "leaf" };
}

/**
 * Closed-form alpha–beta collective times (no contention between concurrent groups; oversubscribed tiers
 * are assumed fully loaded, as in a training step where every group communicates at once). Rings as NCCL
 * runs them: a ring crossing domains moves its bytes over every domain's scale-out links in parallel, so
 * its bandwidth per rank is min(scale-up, k · scale-out) with k ranks per domain. All-reduce latency
 * follows NCCL's tree (2·log2 n steps), all-gather/reduce-scatter the ring (n−1 steps).
 */
export function alphaBetaCommModel(spec: AlphaBetaSpec): CommModel {
  return {
    time(op, ranks, bytes) {
      const n = ranks.length;
      if (n <= 1 || bytes <= 0) return { timeS: 0, tier: "scaleUp" };
      const s = span(spec, ranks);
      const su = spec.scaleUp.bandwidth;
      let ringBw = su;
      let tier: FabricTier = "scaleUp";
      let alpha = spec.scaleUp.latency;
      let outBw = Number.POSITIVE_INFINITY;
      if (s.crossed !== "scaleUp") {
        const path = scaleOutPath(spec, s.crossed);
        outBw = path.bandwidth;
        alpha = spec.scaleOut.latency;
        const aggregate = s.perDomain * path.bandwidth;
        if (s.perDomain > 1 && su < aggregate) ringBw = su;
        else {
          ringBw = aggregate;
          tier = path.tier;
        }
      }
      alpha += STEP_OVERHEAD_S;
      const log2n = Math.ceil(Math.log2(n));
      let t: number;
      switch (op) {
        case "all-reduce":
          t = (2 * (n - 1) * bytes) / (n * ringBw) + 2 * log2n * alpha;
          break;
        case "all-gather":
        case "reduce-scatter":
          t = ((n - 1) * bytes) / (n * ringBw) + (n - 1) * alpha;
          break;
        case "all-to-all": {
          const k = s.perDomain;
          const inside = ((k - 1) * bytes) / (n * su);
          const outside = s.crossed === "scaleUp" ? 0 : ((n - k) * bytes) / (n * outBw);
          if (s.crossed !== "scaleUp" && outside >= inside) tier = scaleOutPath(spec, s.crossed).tier;
          else tier = "scaleUp";
          t = Math.max(inside, outside) + alpha;
          break;
        }
        case "send-recv":
          t = bytes / (s.crossed === "scaleUp" ? su : outBw) + alpha;
          tier = s.crossed === "scaleUp" ? "scaleUp" : scaleOutPath(spec, s.crossed).tier;
          break;
        default: // broadcast, reduce: pipelined ring
          t = bytes / ringBw + (n - 1) * alpha;
      }
      return { timeS: t + spec.overheadS, tier };
    },
  };
}

/** The accelerator group a training job runs on, and its first global rank. */
export function jobGroup(scenario: Scenario, name?: string): { group: GroupSpec; firstRank: number } {
  let first = 0;
  for (const g of scenario.cluster.groups) {
    if (g.kind === "accelerator" && (name === undefined || g.name === name))
      return { group: g, firstRank: first };
    first += g.nodes * g.acceleratorsPerNode;
  }
  throw new Error(`no accelerator group${name ? ` named ${name}` : ""}`);
}

/**
 * Where each accelerator sits (domain, leaf, pod) from the scenario's cluster description alone, by the
 * same arithmetic the topology builders use: nodes fill leaves in order; a rail-optimized or rail-only
 * leaf takes one NIC (rail) of each node of its scalable unit; 3-tier pods hold as many leaves as an
 * aggregation switch has down ports.
 */
export function scenarioPositions(scenario: Scenario): {
  domain: Int32Array;
  leaf: Int32Array;
  pod: Int32Array;
} {
  const so = scenario.cluster.scaleOut;
  const total = scenario.cluster.groups.reduce((a, g) => a + g.nodes * g.acceleratorsPerNode, 0);
  const domain = new Int32Array(total);
  const leaf = new Int32Array(total);
  const pod = new Int32Array(total);
  const leafDown = so.tiers === 1 ? so.switch.radix : downPorts(so.switch.radix, so.oversubscription.leaf);
  const leavesPerPod =
    so.tiers === 3
      ? Math.max(1, downPorts(so.switch.radix, so.oversubscription.spine))
      : Number.POSITIVE_INFINITY;
  const railed = so.topology === "rail-optimized" || so.topology === "rail-only";
  let rank = 0;
  let node = 0;
  let domainBase = 0;
  for (const g of scenario.cluster.groups) {
    const apn = g.acceleratorsPerNode;
    const nics = Math.max(1, g.nics.count);
    const size = g.scaleUp?.domain ?? Math.max(1, apn);
    for (let i = 0; i < g.nodes * apn; i++, rank++) {
      const server = node + Math.floor(i / apn);
      const local = i % apn;
      domain[rank] = domainBase + Math.floor(i / size);
      let l: number;
      if (so.topology === "single-switch") l = 0;
      else if (railed) {
        const su = Math.floor(server / leafDown);
        const rail = Math.floor((local * nics) / Math.max(1, apn));
        l = su * nics + rail;
      } else l = Math.floor(server / Math.max(1, Math.floor(leafDown / nics)));
      leaf[rank] = l;
      pod[rank] = Number.isFinite(leavesPerPod) ? Math.floor(l / leavesPerPod) : 0;
    }
    node += g.nodes;
    domainBase += Math.ceil((g.nodes * apn) / size);
  }
  return { domain, leaf, pod };
}

/**
 * The alpha–beta model of a scenario's cluster: achieved scale-up bandwidth per accelerator, achieved
 * share of the node's NICs per accelerator, oversubscription, latencies from the scale-up spec and from
 * cables and switches on an up-down path. `nonBlocking` drops the oversubscription (the what-if).
 */
export function scenarioAlphaBetaSpec(
  scenario: Scenario,
  options: { nonBlocking?: boolean; group?: string } = {},
): AlphaBetaSpec {
  const { group } = jobGroup(scenario, options.group);
  const so = scenario.cluster.scaleOut;
  const su = group.scaleUp;
  const perAccel = (group.nics.count * group.nics.bandwidth) / Math.max(1, group.acceleratorsPerNode);
  const hops = 2 * so.tiers; // cables on an up-down path through the top tier
  const switches = 2 * so.tiers - 1;
  return {
    ...scenarioPositions(scenario),
    scaleUp: {
      bandwidth: (su?.bandwidth ?? perAccel) * SCALE_UP_EFFICIENCY,
      latency: su?.latency ?? 1e-6,
    },
    scaleOut: {
      bandwidth: perAccel * SCALE_OUT_EFFICIENCY,
      latency: hops * so.linkLatency + switches * so.switch.latency,
    },
    oversubscription: options.nonBlocking ? { leaf: 1, spine: 1 } : so.oversubscription,
    overheadS: COLLECTIVE_OVERHEAD_S,
  };
}

/** `alphaBetaCommModel(scenarioAlphaBetaSpec(scenario, options))`. */
export function scenarioCommModel(
  scenario: Scenario,
  options: { nonBlocking?: boolean; group?: string } = {},
): CommModel {
  return alphaBetaCommModel(scenarioAlphaBetaSpec(scenario, options));
}

/**
 * The collective algorithms over a built fabric (src/collectives): NCCL-style algorithm and protocol
 * choice, timed in closed form or with the context's flow engine. With siblings, every copy runs at once
 * (`concurrentCollectiveTime`): their flows share the fabric, so an oversubscribed leaf or spine shows up
 * as it does in a training step. The bounding tier is that of the phase that takes longest.
 */
export function collectiveCommModel(ctx: CollectiveContext): CommModel {
  return {
    time(op, ranks, bytes, siblings) {
      if (ranks.length <= 1 || bytes <= 0) return { timeS: 0, tier: "scaleUp" };
      const t =
        siblings && siblings.length > 0
          ? concurrentCollectiveTime(ctx, op, [ranks, ...siblings], bytes, "auto")
          : collectiveTime(ctx, op, ranks, bytes, "auto");
      let tier = "scaleUp";
      let longest = -1;
      for (const p of t.phases) {
        if (p.timeS > longest) {
          longest = p.timeS;
          tier = p.tier;
        }
      }
      return { timeS: t.timeS, tier };
    },
  };
}

/**
 * The CommModels a training run over built fabrics uses: the collectives on the scenario's fabric, and on
 * a non-blocking copy of it (`nonBlockingScenario`) for the what-if. Contention between the copies of a
 * group comes from the collectives themselves (siblings), on both fabrics alike.
 */
export function fabricCommModels(
  _scenario: Scenario,
  ctx: CollectiveContext,
  nonBlockingCtx?: CollectiveContext,
): { comm: CommModel; nonBlockingComm?: CommModel } {
  return {
    comm: collectiveCommModel(ctx),
    nonBlockingComm: nonBlockingCtx ? collectiveCommModel(nonBlockingCtx) : undefined,
  };
}

/** The same scenario on a non-blocking fabric (no oversubscription at any tier), for the what-if. */
export function nonBlockingScenario(scenario: Scenario): Scenario {
  const so = scenario.cluster.scaleOut;
  return {
    ...scenario,
    cluster: { ...scenario.cluster, scaleOut: { ...so, oversubscription: { leaf: 1, spine: 1 } } },
  };
}
