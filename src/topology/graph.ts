/**
 * A growable draft of the fabric graph: nodes and cables appended into typed arrays that double when full,
 * then frozen into the Fabric's struct-of-arrays with its CSR adjacency. A cable is two directed links:
 * link 2c goes a → b, link 2c+1 goes b → a, so `reverse` is `l ^ 1`.
 */
import { type GrowableArray, grownTo } from "../typed-arrays.js";
import type { FabricLinks, FabricNodes, LinkTier, NodeKind, SwitchTier } from "./fabric.js";

export interface GraphDraft {
  nodeCount: number;
  kind: Uint8Array;
  tier: Uint8Array;
  group: Int16Array;
  plane: Int16Array;
  pod: Int32Array;
  names: string[];
  cableCount: number;
  from: Int32Array;
  to: Int32Array;
  bandwidth: Float64Array;
  latency: Float64Array;
  linkTier: Uint8Array;
  up: Uint8Array;
}

export function newDraft(nodeHint: number, cableHint: number): GraphDraft {
  const n = Math.max(16, nodeHint);
  const l = 2 * Math.max(16, cableHint);
  return {
    nodeCount: 0,
    kind: new Uint8Array(n),
    tier: new Uint8Array(n),
    group: new Int16Array(n),
    plane: new Int16Array(n),
    pod: new Int32Array(n),
    names: [],
    cableCount: 0,
    from: new Int32Array(l),
    to: new Int32Array(l),
    bandwidth: new Float64Array(l),
    latency: new Float64Array(l),
    linkTier: new Uint8Array(l),
    up: new Uint8Array(l),
  };
}

function grown<T extends GrowableArray>(a: T, size: number): T {
  return a.length >= size ? a : grownTo(a, Math.max(size, a.length * 2));
}

export interface NodeFields {
  kind: NodeKind;
  tier: SwitchTier;
  group: number;
  plane: number;
  pod: number;
  name: string;
}

export function addNode(d: GraphDraft, f: NodeFields): number {
  const id = d.nodeCount++;
  if (id >= d.kind.length) {
    d.kind = grown(d.kind, id + 1);
    d.tier = grown(d.tier, id + 1);
    d.group = grown(d.group, id + 1);
    d.plane = grown(d.plane, id + 1);
    d.pod = grown(d.pod, id + 1);
  }
  d.kind[id] = f.kind;
  d.tier[id] = f.tier;
  d.group[id] = f.group;
  d.plane[id] = f.plane;
  d.pod[id] = f.pod;
  d.names.push(f.name);
  return id;
}

/**
 * Adds a cable a ↔ b and returns the directed link id a → b (its reverse is id + 1). `upAB` marks a → b as
 * going up (towards the core); b → a is then down. Sideways cables (mesh, ring) have neither direction up.
 */
export function addCable(
  d: GraphDraft,
  a: number,
  b: number,
  bandwidth: number,
  latencyAB: number,
  latencyBA: number,
  tier: LinkTier,
  upAB: boolean,
): number {
  const c = d.cableCount++;
  const l = 2 * c;
  if (l + 2 > d.from.length) {
    const size = l + 2;
    d.from = grown(d.from, size);
    d.to = grown(d.to, size);
    d.bandwidth = grown(d.bandwidth, size);
    d.latency = grown(d.latency, size);
    d.linkTier = grown(d.linkTier, size);
    d.up = grown(d.up, size);
  }
  d.from[l] = a;
  d.to[l] = b;
  d.from[l + 1] = b;
  d.to[l + 1] = a;
  d.bandwidth[l] = bandwidth;
  d.bandwidth[l + 1] = bandwidth;
  d.latency[l] = latencyAB;
  d.latency[l + 1] = latencyBA;
  d.linkTier[l] = tier;
  d.linkTier[l + 1] = tier;
  d.up[l] = upAB ? 1 : 0;
  d.up[l + 1] = 0;
  return l;
}

export interface FrozenGraph {
  nodes: FabricNodes;
  links: FabricLinks;
  outStart: Int32Array;
  outLinks: Int32Array;
}

/**
 * Freezes the draft. Each node's outgoing links list its up links first (in id order), then the others,
 * so routing can walk only the up part of a node's adjacency.
 */
export function freezeGraph(d: GraphDraft): FrozenGraph {
  const n = d.nodeCount;
  const m = 2 * d.cableCount;
  const reverse = new Int32Array(m);
  for (let l = 0; l < m; l++) reverse[l] = l ^ 1;
  const outStart = new Int32Array(n + 1);
  for (let l = 0; l < m; l++) outStart[d.from[l] + 1]++;
  for (let v = 0; v < n; v++) outStart[v + 1] += outStart[v];
  const fill = outStart.slice(0, n);
  const outLinks = new Int32Array(m);
  for (const wantUp of [1, 0]) {
    for (let l = 0; l < m; l++) if (d.up[l] === wantUp) outLinks[fill[d.from[l]]++] = l;
  }
  return {
    nodes: {
      count: n,
      kind: d.kind.slice(0, n),
      tier: d.tier.slice(0, n),
      group: d.group.slice(0, n),
      plane: d.plane.slice(0, n),
      pod: d.pod.slice(0, n),
      names: d.names,
    },
    links: {
      count: m,
      from: d.from.slice(0, m),
      to: d.to.slice(0, m),
      bandwidth: d.bandwidth.slice(0, m),
      latency: d.latency.slice(0, m),
      tier: d.linkTier.slice(0, m),
      up: d.up.slice(0, m),
      reverse,
    },
    outStart,
    outLinks,
  };
}
