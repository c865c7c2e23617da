/**
 * The scale-out links ranks share deeper in a Clos fabric, for the closed form. Spraying (and ECMP, on
 * average) spreads a transfer evenly over equal-cost paths, so what a set of transfers loads is a
 * bundle of links, not one link:
 * - a leaf's uplinks (a transfer leaving the leaf), and the spine-to-leaf links into it (one entering);
 * - a pod's spine-to-core links (a transfer leaving the pod), and the core-to-spine links into it.
 * A bundle's capacity is the sum of its links' bandwidth, so a leaf with 4:1 oversubscription has a
 * quarter of its ports' bandwidth going up. Built once per fabric from the graph alone.
 */
import { type Fabric, LinkTier, NodeKind, SwitchTier } from "../topology/fabric.js";

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
  /** Per node holding scale-out ports: its leaves, holderLeaf[holderStart[v] .. holderStart[v+1]), with the share of its leaf bandwidth on each. */
  holderStart: Int32Array;
  holderLeaf: Int32Array;
  holderShare: Float64Array;
}

const cache = new WeakMap<Fabric, SharedLinks>();

export function sharedLinks(fabric: Fabric): SharedLinks {
  let shared = cache.get(fabric);
  if (!shared) {
    shared = build(fabric);
    cache.set(fabric, shared);
  }
  return shared;
}

function build(fabric: Fabric): SharedLinks {
  const { nodes, links, outStart, outLinks } = fabric;
  const N = nodes.count;
  const leafUp = new Int32Array(N).fill(-1);
  const leafDown = new Int32Array(N).fill(-1);
  const pod = new Int32Array(N).fill(-1);
  const podUp = new Int32Array(N).fill(-1);
  const podDown = new Int32Array(N).fill(-1);
  const net = new Int32Array(N).fill(-1);
  const capacity: number[] = [];
  const tier: number[] = [];
  const bundle = (bandwidth: number, linkTier: number) => {
    capacity.push(bandwidth);
    tier.push(linkTier);
    return capacity.length - 1;
  };
  // Pods: every spine's uplinks and the links down into it, summed per (plane, pod).
  const pods = new Map<number, { up: number; down: number; tier: number }>();
  for (let v = 0; v < N; v++) {
    if (nodes.kind[v] !== NodeKind.switch || nodes.tier[v] !== SwitchTier.spine || nodes.pod[v] < 0) continue;
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
    if (nodes.kind[v] !== NodeKind.switch || nodes.tier[v] !== SwitchTier.leaf) continue;
    net[v] = fabric.layout ? fabric.layout.switchNet[v] : nodes.plane[v];
    const up = upBandwidth(fabric, v);
    if (up.up === 0) continue;
    leafUp[v] = bundle(up.up, up.tier);
    leafDown[v] = bundle(up.down, up.tier);
    const spine = links.to[up.first];
    const pb = nodes.pod[spine] >= 0 ? podBundles.get(podKey(fabric, spine)) : undefined;
    if (pb) {
      pod[v] = podKey(fabric, spine);
      podUp[v] = pb[0];
      podDown[v] = pb[1];
    }
  }
  // Port holders: any node with links into a leaf.
  const holderStart = new Int32Array(N + 1);
  for (let v = 0; v < N; v++) {
    let k = 0;
    for (let i = outStart[v]; i < outStart[v + 1]; i++) if (isLeafLink(fabric, outLinks[i])) k++;
    holderStart[v + 1] = holderStart[v] + k;
  }
  const holderLeaf = new Int32Array(holderStart[N]);
  const holderShare = new Float64Array(holderStart[N]);
  for (let v = 0; v < N; v++) {
    let k = holderStart[v];
    let total = 0;
    for (let i = outStart[v]; i < outStart[v + 1]; i++) {
      const l = outLinks[i];
      if (!isLeafLink(fabric, l)) continue;
      holderLeaf[k] = links.to[l];
      holderShare[k++] = links.bandwidth[l];
      total += links.bandwidth[l];
    }
    for (let j = holderStart[v]; j < k; j++) holderShare[j] = total > 0 ? holderShare[j] / total : 0;
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
    holderStart,
    holderLeaf,
    holderShare,
  };
}

function isLeafLink(fabric: Fabric, l: number): boolean {
  const to = fabric.links.to[l];
  return (
    fabric.links.tier[l] === LinkTier.leaf &&
    fabric.nodes.kind[to] === NodeKind.switch &&
    fabric.nodes.tier[to] === SwitchTier.leaf
  );
}

/** A switch's uplinks: their bandwidth, that of their reverse links, the tier and the first of them. */
function upBandwidth(fabric: Fabric, v: number) {
  const { links, outStart, outLinks } = fabric;
  let up = 0;
  let down = 0;
  let tier = 0;
  let first = -1;
  for (let i = outStart[v]; i < outStart[v + 1]; i++) {
    const l = outLinks[i];
    if (!links.up[l] || fabric.nodes.kind[links.to[l]] !== NodeKind.switch) continue;
    up += links.bandwidth[l];
    down += links.bandwidth[links.reverse[l]];
    tier = links.tier[l];
    if (first < 0) first = l;
  }
  return { up, down, tier, first };
}

/** Pods are numbered per plane: the key combines both. */
function podKey(fabric: Fabric, spine: number): number {
  return Math.max(0, fabric.nodes.plane[spine]) * 1_000_000 + fabric.nodes.pod[spine];
}
