/**
 * Copies of one collective running at the same moment: in a training step every data-parallel group of
 * a stage reduces its gradients at once, every tensor-parallel group gathers at once. The groups have the
 * same size and the same shape (Megatron's layout makes them translations of each other), so the
 * schedule is built once, on the first group, and every other group runs the same schedule on its own
 * ranks: position p of the first group stands for position p of each copy.
 *
 * A GroupSet holds what the timers need beyond the first group's layout: every copy's ranks and nodes,
 * the scale-out ports all copies use (numbered once, so a NIC shared by ranks of two copies is one port),
 * each copy's scale-up switches and leaf (for in-network reduction), and the merged FlowSet of a phase.
 */
import { WeftError } from "../errors.js";
import { type FlowSet, makeFlowSet } from "../sim/flows.js";
import { linksOfRanks, type RankLayout } from "./layout.js";
import { type PortLeaves, portLeaves, type SharedLinks, sharedLinks } from "./shared-links.js";
import { tierOf } from "./step.js";

export interface GroupSet {
  /** Layout of the first group: the schedule is built on it. */
  layout: RankLayout;
  /** Number of groups (copies). */
  count: number;
  /** Ranks per group. */
  n: number;
  /** Entry g·n + p: rank and fabric node of position p of group g. */
  ranks: Int32Array;
  node: Int32Array;
  /** Scale-out ports of every entry (CSR as in RankLayout), numbered over all groups. */
  portStart: Int32Array;
  portIndex: Int32Array;
  portShare: Float64Array;
  portBandwidth: Float64Array;
  portHolder: Int32Array;
  hostBandwidth: Float64Array;
  /** Every entry's scale-up switches and first leaf. */
  upSwitchStart: Int32Array;
  upSwitchNode: Int32Array;
  leaf: Int32Array;
  /**
   * Only on fabrics with blocking bundles (shared-links.ts), per entry: its one leaf when it reaches the
   * scale-out fabric through one port on one leaf (the common case, a fast path for the closed form), −1
   * when it has several, −2 when none.
   */
  entryLeaf?: Int32Array;
  shared: SharedLinks;
  /** Scratch space of the closed form (per direction port loads, bundle loads), reused between steps. */
  scratch: { ports: [Float64Array, Float64Array]; bundles: Float64Array };
}

/** A phase's flows for all groups at once, with the step tier of each flow (tier codes of step.ts). */
export interface MergedFlows {
  flows: FlowSet;
  tier: Uint8Array;
}

const single = new WeakMap<RankLayout, GroupSet>();
const sets = new WeakMap<RankLayout, Map<string, GroupSet>>();
const merged = new WeakMap<GroupSet, WeakMap<FlowSet, MergedFlows>>();

/** A signature of a list of groups (count, sizes and an FNV-1a hash of every rank), for cache keys. */
export function groupsSignature(groups: readonly Int32Array[]): string {
  let h = 0x811c9dc5;
  for (const g of groups) {
    for (let i = 0; i < g.length; i++) {
      h ^= g[i];
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0x5bd1e995;
    h = Math.imul(h, 0x01000193);
  }
  const first = groups[0];
  return `${groups.length}x${first?.length ?? 0}:${first?.[0] ?? -1}:${(h >>> 0).toString(16)}`;
}

/** The set of `groups` running together; `layout` is the layout of groups[0]. */
export function groupSet(layout: RankLayout, groups: readonly Int32Array[]): GroupSet {
  if (groups.length <= 1) {
    let set = single.get(layout);
    if (!set) {
      set = buildSet(layout, [layout.ranks]);
      single.set(layout, set);
    }
    return set;
  }
  let bySig = sets.get(layout);
  if (!bySig) {
    bySig = new Map();
    sets.set(layout, bySig);
  }
  const key = groupsSignature(groups);
  let set = bySig.get(key);
  if (!set) {
    set = buildSet(layout, groups);
    bySig.set(key, set);
  }
  return set;
}

function buildSet(layout: RankLayout, groups: readonly Int32Array[]): GroupSet {
  const { fabric, n } = layout;
  const acc = fabric.accelerators;
  const count = groups.length;
  const ranks = new Int32Array(count * n);
  const node = new Int32Array(count * n);
  const seen = new Uint8Array(acc.count);
  groups.forEach((g, gi) => {
    if (g.length !== n) {
      throw new WeftError(
        `concurrent collectives need groups of one size: group ${gi} has ${g.length} ranks, the first ${n}`,
      );
    }
    for (let p = 0; p < n; p++) {
      const r = g[p];
      if (!(r >= 0 && r < acc.count)) {
        throw new WeftError(`rank ${r} is not an accelerator of the fabric (ranks 0..${acc.count - 1})`);
      }
      if (seen[r]) {
        throw new WeftError(`rank ${r} is in two of the concurrent groups; the groups must not overlap`);
      }
      seen[r] = 1;
      ranks[gi * n + p] = r;
      node[gi * n + p] = acc.node[r];
    }
  });
  // A single group's links are its layout's.
  const links = count === 1 ? layout : linksOfRanks(fabric, node);
  const shared = sharedLinks(fabric);
  const P = links.portBandwidth.length;
  return {
    layout,
    count,
    n,
    ranks,
    node,
    portStart: links.portStart,
    portIndex: links.portIndex,
    portShare: links.portShare,
    portBandwidth: links.portBandwidth,
    portHolder: links.portHolder,
    hostBandwidth: links.hostBandwidth,
    upSwitchStart: links.upSwitchStart,
    upSwitchNode: links.upSwitchNode,
    leaf: links.leaf,
    ...(shared.blocking
      ? { entryLeaf: entryLeaves(portLeaves(fabric), links.portStart, links.portIndex, links.portHolder) }
      : {}),
    shared,
    scratch: { ports: [new Float64Array(P), new Float64Array(P)], bundles: new Float64Array(shared.count) },
  };
}

function entryLeaves(
  held: PortLeaves,
  portStart: Int32Array,
  portIndex: Int32Array,
  portHolder: Int32Array,
): Int32Array {
  const out = new Int32Array(portStart.length - 1);
  for (let i = 0; i < out.length; i++) {
    const ports = portStart[i + 1] - portStart[i];
    if (ports === 0) {
      out[i] = -2;
      continue;
    }
    const h = portHolder[portIndex[portStart[i]]];
    const leaves = held.start[h + 1] - held.start[h];
    out[i] = ports === 1 && leaves === 1 ? held.leaf[held.start[h]] : leaves === 0 ? -2 : -1;
  }
  return out;
}

/**
 * The flows of a phase (built on the first group) for every group: each copy's flows are the first
 * group's with each rank replaced by the rank at the same position of the copy, and a switch a rank
 * talks to (in-network reduction) by the same switch of the copy's rank.
 */
export function mergedFlows(set: GroupSet, flows: FlowSet): MergedFlows {
  let bySet = merged.get(set);
  if (!bySet) {
    bySet = new WeakMap();
    merged.set(set, bySet);
  }
  let m = bySet.get(flows);
  if (m) return m;
  const { layout, count, n } = set;
  const F = flows.count;
  // One group: its own flows, with their tiers.
  const out = count === 1 ? flows : makeFlowSet(F * count);
  const tier = new Uint8Array(F * count);
  for (let f = 0; f < F; f++) {
    const src = flows.src[f];
    const dst = flows.dst[f];
    const t = tierOf(layout, src, dst);
    const ps = layout.positionOfNode[src];
    const pd = layout.positionOfNode[dst];
    if (count === 1) {
      tier[f] = t;
      continue;
    }
    for (let g = 0; g < count; g++) {
      const k = g * F + f;
      out.src[k] = ps >= 0 ? set.node[g * n + ps] : peerSwitch(set, src, pd, g);
      out.dst[k] = pd >= 0 ? set.node[g * n + pd] : peerSwitch(set, dst, ps, g);
      out.bytes[k] = flows.bytes[f];
      out.start[k] = flows.start[f];
      tier[k] = t;
    }
  }
  m = { flows: out, tier };
  bySet.set(flows, m);
  return m;
}

/** The switch of group g's rank at position p that plays the part `sw` plays for the first group's. */
function peerSwitch(set: GroupSet, sw: number, p: number, g: number): number {
  if (p < 0 || g === 0) return sw;
  const { layout, n } = set;
  const i = g * n + p;
  for (let k = layout.upSwitchStart[p]; k < layout.upSwitchStart[p + 1]; k++) {
    if (layout.upSwitchNode[k] === sw)
      return set.upSwitchNode[set.upSwitchStart[i] + k - layout.upSwitchStart[p]];
  }
  if (layout.leaf[p] === sw && set.leaf[i] >= 0) return set.leaf[i];
  return sw;
}
