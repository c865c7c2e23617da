// Level of detail for big fabrics. Software WebGL (SwiftShader) takes seconds to draw a frame of ~22,000
// edges, and a 16K-GPU fat-tree has that many switch-to-switch edges (a full leaf-spine mesh in every
// pod), which overlap into one blue smear anyway. So the overview gathers switches and servers into groups: one per pod and tier, and
// one per plane of top-tier switches (those cabled to the same switches below). Cables between two drawn
// nodes become one edge carrying how many cables it stands for, how many of them failed and their load.
// A group opens into its members on click; everything else stays as it was, so the picture is rebuilt
// from the same precomputed positions and only the edges are bundled again.
import type { DisplayGraph, FabricGraph } from "./fabric-layout.js";

/** Detailed graphs with more edges than this open collapsed (one node per pod and tier, or plane). */
export const COLLAPSE_ABOVE = 5000;

export interface Groups {
  /** Group of each node of the detailed graph; -1 for a node that is drawn alone. */
  groupOf: Int32Array;
  names: string[];
  role: string[];
  layer: number[];
  /** Detailed-graph nodes of each group. */
  members: number[][];
}

/**
 * Pods are the connected pieces of the fabric below its top switch tier; every tier of a pod is one
 * group, and top-tier switches cabled to the same switches are one group (a plane). Undefined when the
 * detailed graph is small enough to draw as it is.
 */
export function groupDisplayGraph(d: DisplayGraph, collapseAbove = COLLAPSE_ABOVE): Groups | undefined {
  if (!d.aggregated || d.edges.length <= collapseAbove) return undefined;
  const top = Math.max(...d.layer);
  const pod = podsBelow(d, top);
  const below = neighboursOfTop(d, top);
  const keyOf = (v: number) => (d.layer[v] === top ? `plane ${below[v]}` : `${pod[v]} ${d.layer[v]}`);
  const byKey = new Map<string, number[]>();
  for (let v = 0; v < d.names.length; v++) {
    const key = keyOf(v);
    const list = byKey.get(key);
    if (list) list.push(v);
    else byKey.set(key, [v]);
  }
  const groups: Groups = {
    groupOf: new Int32Array(d.names.length).fill(-1),
    names: [],
    role: [],
    layer: [],
    members: [],
  };
  const planes = new Map<string, number>();
  for (const members of byKey.values()) {
    if (members.length < 2) continue; // a lone node is its own overview
    const first = members[0];
    const k = groups.names.length;
    const role = d.role[first];
    const plane = (planes.get(role) ?? 0) + 1;
    if (d.layer[first] === top) planes.set(role, plane);
    const where = d.layer[first] === top ? `${role} plane ${plane}` : `pod ${pod[first] + 1}`;
    groups.names.push(`${where} · ${members.length} × ${role}`);
    groups.role.push(role);
    groups.layer.push(d.layer[first]);
    groups.members.push(members);
    for (const v of members) groups.groupOf[v] = k;
  }
  return groups;
}

/** Pod of each node below the top layer: connected pieces over edges below it, numbered in node order. */
function podsBelow(d: DisplayGraph, top: number): Int32Array {
  const parent = Int32Array.from({ length: d.names.length }, (_, v) => v);
  const root = (v: number): number => {
    while (parent[v] !== v) {
      parent[v] = parent[parent[v]];
      v = parent[v];
    }
    return v;
  };
  for (const e of d.edges)
    if (d.layer[e.source] < top && d.layer[e.target] < top) parent[root(e.source)] = root(e.target);
  const number = new Map<number, number>();
  const pod = new Int32Array(d.names.length).fill(-1);
  for (let v = 0; v < d.names.length; v++) {
    if (d.layer[v] === top) continue; // above the pods
    const r = root(v);
    if (!number.has(r)) number.set(r, number.size);
    pod[v] = number.get(r) ?? 0;
  }
  return pod;
}

/** Each top-layer node's neighbours as a sorted list, the key of its plane; "" below the top. */
function neighboursOfTop(d: DisplayGraph, top: number): string[] {
  const lists: number[][] = d.names.map(() => []);
  for (const e of d.edges) {
    if (d.layer[e.source] === top) lists[e.source].push(e.target);
    if (d.layer[e.target] === top) lists[e.target].push(e.source);
  }
  return lists.map((l) => l.sort((a, b) => a - b).join(","));
}

/** Per edge of the detailed graph: its cables, failed cables and load (NaN when no run measured it). */
export interface EdgeStats {
  cables: Int32Array;
  failed: Int32Array;
  maxLoad: Float32Array;
  sumLoad: Float32Array;
  /** Cable tier of the edge's first cable (bundled cables share their tier). */
  tier: Int32Array;
}

export function edgeStats(g: FabricGraph, d: DisplayGraph): EdgeStats {
  const m = d.edges.length;
  const s: EdgeStats = {
    cables: new Int32Array(m),
    failed: new Int32Array(m),
    maxLoad: new Float32Array(m).fill(Number.NaN),
    sumLoad: new Float32Array(m),
    tier: new Int32Array(m),
  };
  const { failed, load, tier } = g.cables;
  d.edges.forEach((e, i) => {
    s.cables[i] = e.cables.length;
    s.tier[i] = tier[e.cables[0]];
    for (const c of e.cables) {
      s.failed[i] += failed[c];
      if (!load) continue;
      s.maxLoad[i] = Number.isNaN(s.maxLoad[i]) ? load[c] : Math.max(s.maxLoad[i], load[c]);
      s.sumLoad[i] += load[c];
    }
  });
  return s;
}

/** A drawn edge: every cable between two drawn nodes. */
export interface DrawnEdge {
  source: string;
  target: string;
  cables: number;
  failed: number;
  /** Busiest cable's load; NaN without a measured load. */
  maxLoad: number;
  meanLoad: number;
  tier: number;
}

/** What sigma draws: nodes keyed by detailed node ("12") or group ("g3"), and bundled edges. */
export interface View {
  nodes: { key: string; x: number; y: number; label: string; role: string; group: boolean; size: number }[];
  edges: DrawnEdge[];
}

/** Key of the drawn node standing for detailed node v: its group's unless the group is open. */
export function drawnKey(v: number, groups: Groups | undefined, open: ReadonlySet<number>): string {
  const k = groups ? groups.groupOf[v] : -1;
  return k >= 0 && !open.has(k) ? `g${k}` : String(v);
}

/**
 * The drawn graph with the groups in `open` shown as their members and the others as one node each,
 * at the mean position of their members. Without groups, the detailed graph as it is.
 */
export function view(
  d: DisplayGraph,
  stats: EdgeStats,
  groups: Groups | undefined,
  open: ReadonlySet<number>,
): View {
  const nodes: View["nodes"] = [];
  const big = d.names.length > 3000 || groups !== undefined;
  for (let v = 0; v < d.names.length; v++) {
    if (drawnKey(v, groups, open) !== String(v)) continue;
    const isSwitch = d.layer[v] >= 2;
    const size = isSwitch ? (big ? 3 : 5) : big ? 1.5 : 2.5;
    nodes.push({
      key: String(v),
      x: d.x[v],
      y: d.y[v],
      label: d.names[v],
      role: d.role[v],
      group: false,
      size,
    });
  }
  groups?.members.forEach((members, k) => {
    if (open.has(k)) return;
    let x = 0;
    for (const v of members) x += d.x[v];
    const label = groups.names[k];
    const size = 4 + Math.log2(members.length);
    nodes.push({
      key: `g${k}`,
      x: x / members.length,
      y: d.y[members[0]],
      label,
      role: groups.role[k],
      group: true,
      size,
    });
  });
  return {
    nodes,
    edges: groups ? bundleEdges(d, stats, groups, open) : d.edges.map((_, i) => drawnEdge(d, stats, i)),
  };
}

/** Edge i of the detailed graph as drawn: one cable, or the bundle the detailed graph already made. */
function drawnEdge(d: DisplayGraph, stats: EdgeStats, i: number): DrawnEdge {
  const { source, target } = d.edges[i];
  return {
    source: String(source),
    target: String(target),
    cables: stats.cables[i],
    failed: stats.failed[i],
    maxLoad: stats.maxLoad[i],
    meanLoad: stats.sumLoad[i] / stats.cables[i],
    tier: stats.tier[i],
  };
}

/** Detailed edges whose ends are drawn as the same two nodes, summed into one edge. */
function bundleEdges(
  d: DisplayGraph,
  stats: EdgeStats,
  groups: Groups,
  open: ReadonlySet<number>,
): DrawnEdge[] {
  const edges: DrawnEdge[] = [];
  const byEnds = new Map<string, DrawnEdge>();
  d.edges.forEach((e, i) => {
    const a = drawnKey(e.source, groups, open);
    const b = drawnKey(e.target, groups, open);
    if (a === b) return; // inside a closed group
    const [source, target] = a < b ? [a, b] : [b, a];
    const ends = `${source} ${target}`;
    const found = byEnds.get(ends);
    if (!found) {
      const edge = { ...drawnEdge(d, stats, i), source, target };
      byEnds.set(ends, edge);
      edges.push(edge);
      return;
    }
    found.meanLoad = (found.meanLoad * found.cables + stats.sumLoad[i]) / (found.cables + stats.cables[i]);
    found.cables += stats.cables[i];
    found.failed += stats.failed[i];
    const load = stats.maxLoad[i];
    if (!Number.isNaN(load))
      found.maxLoad = Number.isNaN(found.maxLoad) ? load : Math.max(load, found.maxLoad);
  });
  return edges;
}

/**
 * The bundled edges of a drawn node, for the side panel: a group's as if it were closed (clicking it
 * opens it), a device's or server's to whatever it is linked to as drawn now.
 */
export function linksOf(
  d: DisplayGraph,
  stats: EdgeStats,
  groups: Groups,
  open: ReadonlySet<number>,
  key: string,
): DrawnEdge[] {
  const k = key.startsWith("g") ? Number(key.slice(1)) : -1;
  const closed = k >= 0 ? new Set([...open].filter((o) => o !== k)) : open;
  const self = k >= 0 ? key : drawnKey(Number(key), groups, closed);
  return bundleEdges(d, stats, groups, closed).filter((e) => e.source === self || e.target === self);
}

/** The label of a drawn node. */
export function drawnLabel(d: DisplayGraph, groups: Groups | undefined, key: string): string {
  return key.startsWith("g") ? (groups?.names[Number(key.slice(1))] ?? key) : d.names[Number(key)];
}

/** Fabric nodes behind a drawn node. */
export function fabricMembers(d: DisplayGraph, groups: Groups | undefined, key: string): number[] {
  if (!key.startsWith("g")) return d.members[Number(key)];
  return (groups?.members[Number(key.slice(1))] ?? []).flatMap((v) => d.members[v]);
}
