/**
 * The scale-out links ranks share deeper in a Clos fabric, for the closed form. Spraying (and ECMP, on
 * average) spreads a transfer evenly over equal-cost paths, so what a set of transfers loads is a
 * bundle of links, not one link:
 * - a leaf's uplinks (a transfer leaving the leaf), and the spine-to-leaf links into it (one entering);
 * - a pod's spine-to-core links (a transfer leaving the pod), and the core-to-spine links into it.
 * A bundle's capacity is the sum of its links' bandwidth, so a leaf with 4:1 oversubscription has a
 * quarter of its ports' bandwidth going up. Built once per fabric from the graph alone.
 *
 * A bundle with at least the bandwidth of the ports below it (a non-blocking leaf or pod) can never be
 * busier than those ports, so on a fabric without oversubscription the closed form skips this model.
 */
import { type Fabric, LinkTier, NodeKind, SwitchTier } from "../topology/fabric.js";

// Enum members as module constants: read in per-node loops, which run cold (interpreted) once per fabric.
const SWITCH = NodeKind.switch;
const SPINE = SwitchTier.spine;
const LEAF = SwitchTier.leaf;
const LEAF_LINK = LinkTier.leaf;

export interface SharedLinks {
  /** Number of bundles. */
  count: number;
  /** Per bundle: summed bandwidth, bytes/s; the tier of its links (LinkTier.spine or LinkTier.core). */
  capacity: Float64Array;
  tier: Uint8Array;
  /** Per fabric node (leaves only, −1 elsewhere): the bundle of its uplinks / of the links into it from above. */
  leafUp: Int32Array;
  leafDown: Int32Array;
  /** Per leaf: the pod of its spines (−1 when they have no uplinks) and that pod's two bundles. */
  pod: Int32Array;
  podUp: Int32Array;
  podDown: Int32Array;
  /** Per leaf: its Clos network (transfers between networks are not routed through the scale-out fabric). */
  net: Int32Array;
  /** Some bundle has less bandwidth than the ports below it (oversubscription): only then can it bound a step. */
  blocking: boolean;
}

/** Per node holding scale-out ports: its leaves, leaf[start[v] .. start[v+1]), with the share of its leaf bandwidth on each. */
export interface PortLeaves {
  start: Int32Array;
  leaf: Int32Array;
  share: Float64Array;
}

const cache = new WeakMap<Fabric, SharedLinks>();
const leavesCache = new WeakMap<Fabric, PortLeaves>();

export function sharedLinks(fabric: Fabric): SharedLinks {
  let shared = cache.get(fabric);
  if (!shared) {
    shared = build(fabric);
    cache.set(fabric, shared);
  }
  return shared;
}

function build(fabric: Fabric): SharedLinks {
  const { nodes, links } = fabric;
  const N = nodes.count;
  const leafUp = new Int32Array(N).fill(-1);
  const leafDown = new Int32Array(N).fill(-1);
  const pod = new Int32Array(N).fill(-1);
  const podUp = new Int32Array(N).fill(-1);
  const podDown = new Int32Array(N).fill(-1);
  const net = new Int32Array(N).fill(-1);
  const capacity: number[] = [];
  const tier: number[] = [];
  // Bandwidth of the ports below each bundle (out of them, into them), for `blocking`.
  const below: number[][] = [];
  const bundle = (bandwidth: number, linkTier: number) => {
    capacity.push(bandwidth);
    tier.push(linkTier);
    below.push([0, 0]);
    return capacity.length - 1;
  };
  // Pods: every spine's uplinks and the links down into it, summed per (plane, pod).
  const pods = new Map<number, { up: number; down: number; tier: number }>();
  for (let v = 0; v < N; v++) {
    if (nodes.kind[v] !== SWITCH || nodes.tier[v] !== SPINE || nodes.pod[v] < 0) continue;
    const up = upBandwidth(fabric, v);
    if (up.up === 0) continue;
    const key = podKey(fabric, v);
    const p = pods.get(key) ?? { up: 0, down: 0, tier: up.tier };
    p.up += up.up;
    p.down += up.down;
    pods.set(key, p);
  }
  const podBundles = new Map<number, [number, number]>();
  for (const [key, p] of pods) podBundles.set(key, [bundle(p.up, p.tier), bundle(p.down, p.tier)]);
  for (let v = 0; v < N; v++) {
    if (nodes.kind[v] !== SWITCH || nodes.tier[v] !== LEAF) continue;
    net[v] = fabric.layout ? fabric.layout.switchNet[v] : nodes.plane[v];
    const up = upBandwidth(fabric, v);
    if (up.up === 0) continue;
    leafUp[v] = bundle(up.up, up.tier);
    leafDown[v] = bundle(up.down, up.tier);
    below[leafUp[v]] = [up.portsIn, up.portsOut];
    below[leafDown[v]] = [up.portsIn, up.portsOut];
    const spine = links.to[up.first];
    const pb = nodes.pod[spine] >= 0 ? podBundles.get(podKey(fabric, spine)) : undefined;
    if (pb) {
      pod[v] = podKey(fabric, spine);
      podUp[v] = pb[0];
      podDown[v] = pb[1];
      for (const b of pb) {
        below[b][0] += up.portsIn;
        below[b][1] += up.portsOut;
      }
    }
  }
  // Up bundles carry what the ports below send, down bundles what they receive.
  let blocking = false;
  for (let v = 0; v < N; v++) {
    if (leafUp[v] < 0) continue;
    blocking ||= capacity[leafUp[v]] < below[leafUp[v]][0] || capacity[leafDown[v]] < below[leafDown[v]][1];
    if (podUp[v] >= 0) {
      blocking ||= capacity[podUp[v]] < below[podUp[v]][0] || capacity[podDown[v]] < below[podDown[v]][1];
    }
  }
  return {
    count: capacity.length,
    capacity: Float64Array.from(capacity),
    tier: Uint8Array.from(tier),
    leafUp,
    leafDown,
    pod,
    podUp,
    podDown,
    net,
    blocking,
  };
}

/** The leaves of every port holder (endpoints and NICs; switches never hold a rank's port). */
export function portLeaves(fabric: Fabric): PortLeaves {
  let out = leavesCache.get(fabric);
  if (out) return out;
  const { nodes, links, outStart, outLinks } = fabric;
  const N = nodes.count;
  const start = new Int32Array(N + 1);
  for (let v = 0; v < N; v++) {
    let k = 0;
    if (nodes.kind[v] !== SWITCH) {
      for (let i = outStart[v]; i < outStart[v + 1]; i++) if (links.tier[outLinks[i]] === LEAF_LINK) k++;
    }
    start[v + 1] = start[v] + k;
  }
  const leaf = new Int32Array(start[N]);
  const share = new Float64Array(start[N]);
  for (let v = 0; v < N; v++) {
    const first = start[v];
    if (start[v + 1] === first) continue;
    let k = first;
    let total = 0;
    for (let i = outStart[v]; i < outStart[v + 1]; i++) {
      const l = outLinks[i];
      if (links.tier[l] !== LEAF_LINK) continue;
      leaf[k] = links.to[l];
      share[k++] = links.bandwidth[l];
      total += links.bandwidth[l];
    }
    for (let j = first; j < k; j++) share[j] = total > 0 ? share[j] / total : 0;
  }
  out = { start, leaf, share };
  leavesCache.set(fabric, out);
  return out;
}

/**
 * A switch's uplinks: their bandwidth, that of their reverse links, the tier and the first of them; and
 * the bandwidth of its links down to ports (endpoints, NICs), into it and out of it.
 */
function upBandwidth(fabric: Fabric, v: number) {
  const { links, outStart, outLinks } = fabric;
  const kind = fabric.nodes.kind;
  let up = 0;
  let down = 0;
  let portsIn = 0;
  let portsOut = 0;
  let tier = 0;
  let first = -1;
  for (let i = outStart[v]; i < outStart[v + 1]; i++) {
    const l = outLinks[i];
    if (kind[links.to[l]] !== SWITCH) {
      portsOut += links.bandwidth[l];
      portsIn += links.bandwidth[links.reverse[l]];
      continue;
    }
    if (!links.up[l]) continue;
    up += links.bandwidth[l];
    down += links.bandwidth[links.reverse[l]];
    tier = links.tier[l];
    if (first < 0) first = l;
  }
  return { up, down, portsIn, portsOut, tier, first };
}

/** Pods are numbered per plane: the key combines both. */
function podKey(fabric: Fabric, spine: number): number {
  return Math.max(0, fabric.nodes.plane[spine]) * 1_000_000 + fabric.nodes.pod[spine];
}
