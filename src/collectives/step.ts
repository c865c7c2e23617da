/**
 * One step of a phase, as the builders emit it: transfers (src, dst, bytes) between fabric nodes. A step
 * is collected either as flows (a FlowSet for a network engine; transfers between the same pair can be
 * merged into one flow, as the channels of a ring between two GPUs of a domain share the same links) or,
 * for the closed form, straight into the payload each rank's own links carry — the same builder code
 * either way, so the two views cannot drift apart, and a 16K-rank candidate is sized in milliseconds.
 */
import type { FlowSet } from "../sim/flows.js";
import { makeFlowSet } from "../sim/flows.js";
import { LinkTier, NodeKind, SwitchTier } from "../topology/fabric.js";
import { grownTo } from "../typed-arrays.js";
import type { RankLayout } from "./layout.js";
import { sharedLinks } from "./shared-links.js";
import type { StepTier } from "./types.js";

// Enum members as module constants: read per transfer, in loops that run cold (interpreted).
const SWITCH = NodeKind.switch;
const SCALE_UP_SWITCH = SwitchTier.scaleUp;
const SCALE_UP_LINK = LinkTier.scaleUp;

export const TIER_CODE: Record<StepTier, number> = {
  scaleUp: 0,
  scaleOut: 1,
  inNetworkUp: 2,
  inNetworkOut: 3,
};
export const TIER_OF_CODE: StepTier[] = ["scaleUp", "scaleOut", "inNetworkUp", "inNetworkOut"];

/** Payload on each rank's own links in one step. */
export interface StepLoads {
  /** [tier code][0 = out of the rank, 1 = into it] over positions, bytes. */
  rank: Float64Array[][];
  /** Scale-up transfers of mesh / ring domains load specific direct links: link id → bytes. */
  direct?: Map<number, number>;
  /**
   * The step's transfers across domains between two ranks (positions), for the links they share deeper
   * in the fabric (leaf uplinks, spines): whether a transfer loads them depends on both of its ends.
   * Collected only on fabrics where those links can be busier than the ranks' own (oversubscribed).
   */
  pairs?: RankPairs;
  /** Bit t set when a transfer of tier code t is present. */
  present: number;
}

/** A growable list of (source position, destination position, payload bytes). */
export interface RankPairs {
  count: number;
  src: Int32Array;
  dst: Int32Array;
  bytes: Float64Array;
}

export interface Step {
  layout: RankLayout;
  /** Flows mode. */
  count: number;
  src: Int32Array;
  dst: Int32Array;
  bytes: Float64Array;
  /** When merging: last flow per source node (−1 none) and the previous flow of the same source. */
  lastOfSrc?: Int32Array;
  prevOfSrc?: Int32Array;
  /** Loads mode. */
  loads?: StepLoads;
}

export interface StepResult {
  flows: FlowSet;
  loads?: StepLoads;
}

const EMPTY = makeFlowSet(0);

/** `sketch`: collect rank loads only; `merge`: fold repeated (src, dst) pairs into one flow. */
export function newStep(
  layout: RankLayout,
  sketch: boolean | undefined,
  merge: boolean,
  capacity = 64,
): Step {
  if (sketch) {
    const n = layout.n;
    const rank = [0, 1, 2, 3].map(() => [new Float64Array(n), new Float64Array(n)]);
    return {
      layout,
      count: 0,
      src: EMPTY.src,
      dst: EMPTY.dst,
      bytes: EMPTY.bytes,
      loads: { rank, ...pairsIfBlocking(layout, 256), present: 0 },
    };
  }
  const cap = Math.max(16, capacity);
  return {
    layout,
    count: 0,
    src: new Int32Array(cap),
    dst: new Int32Array(cap),
    bytes: new Float64Array(cap),
    ...(merge
      ? { lastOfSrc: new Int32Array(layout.fabric.nodes.count).fill(-1), prevOfSrc: new Int32Array(cap) }
      : {}),
  };
}

export function addFlow(step: Step, src: number, dst: number, bytes: number): void {
  if (src === dst || bytes <= 0) return;
  if (step.loads) {
    addLoad(step.layout, step.loads, src, dst, bytes);
    return;
  }
  const last = step.lastOfSrc;
  if (last) {
    for (let f = last[src]; f >= 0; f = step.prevOfSrc![f]) {
      if (step.dst[f] === dst) {
        step.bytes[f] += bytes;
        return;
      }
    }
  }
  if (step.count === step.src.length) grow(step);
  const f = step.count++;
  step.src[f] = src;
  step.dst[f] = dst;
  step.bytes[f] = bytes;
  if (last) {
    step.prevOfSrc![f] = last[src];
    last[src] = f;
  }
}

/**
 * A rank and a switch it reduces through (in-network reduction): `up` bytes rank → switch, then `down`
 * bytes back; the same as the two addFlow calls, with the loads charged directly (one call per pair, not
 * three: builders call this once per rank and switch).
 */
export function addSwitchPair(step: Step, node: number, sw: number, up: number, down: number): void {
  const loads = step.loads;
  if (!loads || node === sw) {
    addFlow(step, node, sw, up);
    addFlow(step, sw, node, down);
    return;
  }
  const { layout } = step;
  const t = tierOf(layout, node, sw);
  if (t === TIER_CODE.scaleUp || t === TIER_CODE.scaleOut) {
    addFlow(step, node, sw, up);
    addFlow(step, sw, node, down);
    return;
  }
  // A switch is never a rank: only the rank's side of each transfer is charged.
  const p = layout.positionOfNode[node];
  const rank = loads.rank[t];
  if (!(up <= 0)) {
    loads.present |= 1 << t;
    if (p >= 0) rank[0][p] += up;
  }
  if (!(down <= 0)) {
    loads.present |= 1 << t;
    if (p >= 0) rank[1][p] += down;
  }
}

/**
 * Every edge of the given trees over domains carries `bytes` each way between the ranks member[d]
 * (positions) of the domains. Collecting loads, each rank is charged its degree (children + parent,
 * summed over the trees) × bytes each way — the same total as edge by edge, in O(domains).
 */
export function addTreeEdges(step: Step, trees: Int32Array[], member: Int32Array, bytes: number): void {
  const { layout } = step;
  if (step.loads) {
    const degree = treeDegrees(trees);
    const [out, into] = step.loads.rank[TIER_CODE.scaleOut];
    let any = false;
    for (let d = 0; d < member.length; d++) {
      if (degree[d] === 0) continue;
      out[member[d]] += degree[d] * bytes;
      into[member[d]] += degree[d] * bytes;
      any = true;
    }
    if (any) step.loads.present |= 1 << TIER_CODE.scaleOut;
    const pairs = step.loads.pairs;
    if (!pairs) return;
    for (const parent of trees) {
      for (let d = 0; d < parent.length; d++) {
        if (parent[d] < 0) continue;
        pushPair(pairs, member[d], member[parent[d]], bytes);
        pushPair(pairs, member[parent[d]], member[d], bytes);
      }
    }
    return;
  }
  for (const parent of trees) {
    for (let d = 0; d < parent.length; d++) {
      const p = parent[d];
      if (p < 0) continue;
      addFlow(step, layout.node[member[d]], layout.node[member[p]], bytes);
      addFlow(step, layout.node[member[p]], layout.node[member[d]], bytes);
    }
  }
}

const degreeCache = new WeakMap<Int32Array, Int32Array>();

/** Per node, its edges (children + parent) summed over the trees; cached per tree pair (read-only). */
export function treeDegrees(trees: Int32Array[]): Int32Array {
  let degree = degreeCache.get(trees[0]);
  if (degree) return degree;
  degree = new Int32Array(trees[0].length);
  for (const parent of trees) {
    for (let d = 0; d < parent.length; d++) {
      if (parent[d] < 0) continue;
      degree[d]++;
      degree[parent[d]]++;
    }
  }
  degreeCache.set(trees[0], degree);
  return degree;
}

export function finishStep(step: Step): StepResult {
  if (step.loads) return { flows: EMPTY, loads: step.loads };
  const set = makeFlowSet(step.count);
  set.src.set(step.src.subarray(0, step.count));
  set.dst.set(step.dst.subarray(0, step.count));
  set.bytes.set(step.bytes.subarray(0, step.count));
  return { flows: set };
}

/** The tier a transfer runs on: into / out of a reducing switch, inside a domain, or across domains. */
export function tierOf(layout: RankLayout, src: number, dst: number): number {
  const { kind, tier } = layout.fabric.nodes;
  const sw = kind[src] === SWITCH ? src : kind[dst] === SWITCH ? dst : -1;
  if (sw >= 0) return tier[sw] === SCALE_UP_SWITCH ? TIER_CODE.inNetworkUp : TIER_CODE.inNetworkOut;
  const pa = layout.positionOfNode[src];
  const pb = layout.positionOfNode[dst];
  return layout.domainOf[pa] === layout.domainOf[pb] ? TIER_CODE.scaleUp : TIER_CODE.scaleOut;
}

/** Rank loads of a FlowSet (for steps collected as flows). */
export function loadsOfFlows(layout: RankLayout, flows: FlowSet): StepLoads {
  const rank = [0, 1, 2, 3].map(() => [new Float64Array(layout.n), new Float64Array(layout.n)]);
  const loads: StepLoads = { rank, ...pairsIfBlocking(layout, flows.count), present: 0 };
  for (let i = 0; i < flows.count; i++) addLoad(layout, loads, flows.src[i], flows.dst[i], flows.bytes[i]);
  return loads;
}

function addLoad(layout: RankLayout, loads: StepLoads, src: number, dst: number, bytes: number): void {
  const t = tierOf(layout, src, dst);
  loads.present |= 1 << t;
  const pa = layout.positionOfNode[src];
  const pb = layout.positionOfNode[dst];
  if (t === TIER_CODE.scaleUp && !(layout.upSwitchStart[pa + 1] > layout.upSwitchStart[pa])) {
    // Mesh or ring scale-up: the transfer loads the direct link it takes.
    loads.direct ??= new Map();
    addDirectLoad(layout, src, dst, bytes, loads.direct);
    return;
  }
  if (pa >= 0) loads.rank[t][0][pa] += bytes;
  if (pb >= 0) loads.rank[t][1][pb] += bytes;
  if (loads.pairs && t === TIER_CODE.scaleOut && pa >= 0 && pb >= 0) pushPair(loads.pairs, pa, pb, bytes);
}

function pairsIfBlocking(layout: RankLayout, capacity: number): { pairs?: RankPairs } {
  if (!sharedLinks(layout.fabric).blocking) return {};
  const cap = Math.max(16, capacity);
  return {
    pairs: { count: 0, src: new Int32Array(cap), dst: new Int32Array(cap), bytes: new Float64Array(cap) },
  };
}

function pushPair(pairs: RankPairs, src: number, dst: number, bytes: number): void {
  if (pairs.count === pairs.src.length) {
    const cap = pairs.count * 2;
    pairs.src = grownTo(pairs.src, cap);
    pairs.dst = grownTo(pairs.dst, cap);
    pairs.bytes = grownTo(pairs.bytes, cap);
  }
  const i = pairs.count++;
  pairs.src[i] = src;
  pairs.dst[i] = dst;
  pairs.bytes[i] = bytes;
}

/** Direct link a → b if there is one, else the widest scale-up link out of a (ring domains forward). */
function addDirectLoad(
  layout: RankLayout,
  a: number,
  b: number,
  bytes: number,
  load: Map<number, number>,
): void {
  const { links, outStart, outLinks } = layout.fabric;
  let first = -1;
  let bw = 0;
  for (let i = outStart[a]; i < outStart[a + 1]; i++) {
    const l = outLinks[i];
    if (links.to[l] === b) {
      first = l;
      break;
    }
    if (links.tier[l] === SCALE_UP_LINK && links.bandwidth[l] > bw) {
      first = l;
      bw = links.bandwidth[l];
    }
  }
  if (first >= 0) load.set(first, (load.get(first) ?? 0) + bytes);
}

function grow(step: Step): void {
  const cap = step.src.length * 2;
  step.src = grownTo(step.src, cap);
  step.dst = grownTo(step.dst, cap);
  step.bytes = grownTo(step.bytes, cap);
  if (step.prevOfSrc) step.prevOfSrc = grownTo(step.prevOfSrc, cap);
}
