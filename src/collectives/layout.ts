/**
 * The ranks of a collective as the algorithms see them: grouped by scale-up domain (in server, local order),
 * with each rank's rail, its own scale-up and scale-out bandwidth, and the latencies of a path inside a
 * domain and across the fabric. Built once per (fabric, rank list) and cached.
 */
import { WeftError } from "../errors.js";
import type { Router } from "../routing/types.js";
import { type Fabric, LINK_TIER_NAMES, LinkTier, NodeKind } from "../topology/fabric.js";

// Enum members as module constants: read in per-rank loops, which run cold (interpreted) once per layout.
const LEAF_LINK = LinkTier.leaf;
const HOST_LINK = LinkTier.host;
const SCALE_UP_LINK = LinkTier.scaleUp;
const NIC = NodeKind.nic;
const SWITCH = NodeKind.switch;

export interface RankLayout {
  fabric: Fabric;
  /** Number of ranks. */
  n: number;
  /** Global accelerator rank of each position (positions are 0..n−1 in the order given). */
  ranks: Int32Array;
  /** Fabric node of each position. */
  node: Int32Array;
  /** Dense domain index (0..domains.length−1) of each position. */
  domainOf: Int32Array;
  /** Index of each position inside its domain's list. */
  indexInDomain: Int32Array;
  /** Positions of each domain, ordered by (server, local index). */
  domains: Int32Array[];
  /** Largest number of ranks in one domain. */
  maxPerDomain: number;
  /** Every domain holds the same number of ranks. */
  uniform: boolean;
  /** Scale-out ports per server (the rails a multi-domain ring or tree spreads its channels over), ≥ 1. */
  rails: number;
  /** Per position, bytes/s per direction: the rank's scale-up links (0 when it has none). */
  upBandwidth: Float64Array;
  /** Per position, bytes/s per direction: the rank's share of its server's scale-out NIC ports. */
  outBandwidth: Float64Array;
  /**
   * Scale-out ports (a node holding leaf links: the accelerator itself, or a NIC node shared by several):
   * per position p, its ports portIndex[portStart[p] .. portStart[p+1]) with the share of its traffic on
   * each (by bandwidth); per port, its bandwidth (all its leaf links, every plane). A rank reaching its
   * ports over PCIe is also limited by hostBandwidth[p] (Infinity for a port of its own).
   */
  portStart: Int32Array;
  portIndex: Int32Array;
  portShare: Float64Array;
  portBandwidth: Float64Array;
  /** Per port: the node holding it (the accelerator itself, or its NIC). */
  portHolder: Int32Array;
  hostBandwidth: Float64Array;
  /**
   * Per position p: the scale-up switches it reaches in one hop, upSwitchNode[upSwitchStart[p] ..
   * upSwitchStart[p+1]), with the share of its scale-up bandwidth on each (in-network reduction sends
   * to these). None for ranks of mesh / ring domains.
   */
  upSwitchStart: Int32Array;
  upSwitchNode: Int32Array;
  upSwitchShare: Float64Array;
  /** Per position: its first scale-out switch (leaf), or −1. */
  leaf: Int32Array;
  /** Position of each fabric node (−1 for nodes that are not ranks of this collective). */
  positionOfNode: Int32Array;
  /** One-way latency of a path inside a domain / across the fabric / rank → scale-up switch / rank → leaf, s. */
  latency: { up: number; out: number; incUp: number; incOut: number };
  /** Name of the highest link tier a cross-domain path climbs (`leaf`, `spine`, `core`), `scaleUp` if none. */
  outTier: string;
}

const layoutCache = new WeakMap<Fabric, Map<string, RankLayout>>();

/** A short signature of a rank list (length, first, last and a 32-bit FNV-1a hash), for cache keys. */
export function ranksSignature(ranks: Int32Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < ranks.length; i++) {
    h ^= ranks[i];
    h = Math.imul(h, 0x01000193);
  }
  return `${ranks.length}:${ranks[0] ?? -1}:${ranks[ranks.length - 1] ?? -1}:${(h >>> 0).toString(16)}`;
}

export function rankLayout(fabric: Fabric, router: Router, ranks: Int32Array): RankLayout {
  let byRanks = layoutCache.get(fabric);
  if (!byRanks) {
    byRanks = new Map();
    layoutCache.set(fabric, byRanks);
  }
  const key = ranksSignature(ranks);
  let layout = byRanks.get(key);
  if (!layout) {
    layout = buildLayout(fabric, router, ranks);
    byRanks.set(key, layout);
  }
  return layout;
}

function buildLayout(fabric: Fabric, router: Router, ranks: Int32Array): RankLayout {
  const n = ranks.length;
  if (n === 0) throw new WeftError("a collective needs at least one rank; the rank list is empty");
  const acc = fabric.accelerators;
  const positionOfNode = new Int32Array(fabric.nodes.count).fill(-1);
  const node = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const r = ranks[p];
    if (!(r >= 0 && r < acc.count)) {
      throw new WeftError(`rank ${r} is not an accelerator of the fabric (ranks 0..${acc.count - 1})`);
    }
    if (positionOfNode[acc.node[r]] >= 0) throw new WeftError(`rank ${r} appears twice in the rank list`);
    node[p] = acc.node[r];
    positionOfNode[node[p]] = p;
  }
  const { domainOf, indexInDomain, domains } = groupByDomain(fabric, ranks);
  let maxPerDomain = 0;
  for (const d of domains) maxPerDomain = Math.max(maxPerDomain, d.length);
  const links = linksOfRanks(fabric, node);
  return {
    fabric,
    n,
    ranks: Int32Array.from(ranks),
    node,
    domainOf,
    indexInDomain,
    domains,
    maxPerDomain,
    uniform: domains.every((d) => d.length === maxPerDomain),
    rails: railsOf(fabric, ranks, links.portStart, links.portIndex, links.portBandwidth.length),
    ...links,
    positionOfNode,
    ...pathLatencies(fabric, router, node, domains, links.upSwitchStart, links.upSwitchNode, links.leaf),
  };
}

function groupByDomain(fabric: Fabric, ranks: Int32Array) {
  const acc = fabric.accelerators;
  const n = ranks.length;
  // Positions sorted by (domain, server, local) so each domain's list follows its wiring order; rank
  // lists already in that order (all, a group, the first N) skip the sort.
  const compare = (a: number, b: number) => {
    const ra = ranks[a];
    const rb = ranks[b];
    return (
      acc.domain[ra] - acc.domain[rb] || acc.server[ra] - acc.server[rb] || acc.local[ra] - acc.local[rb]
    );
  };
  const { domain, server, local } = acc;
  let sorted = true;
  for (let p = 1; p < n && sorted; p++) {
    const a = ranks[p - 1];
    const b = ranks[p];
    const da = domain[a];
    const db = domain[b];
    sorted =
      da < db || (da === db && (server[a] < server[b] || (server[a] === server[b] && local[a] < local[b])));
  }
  const order = new Int32Array(n);
  for (let p = 0; p < n; p++) order[p] = p;
  if (!sorted) order.sort(compare);
  const domainOf = new Int32Array(n);
  const indexInDomain = new Int32Array(n);
  const domains: Int32Array[] = [];
  let start = 0;
  let current = n > 0 ? domain[ranks[order[0]]] : -1;
  for (let i = 1; i <= n; i++) {
    if (i < n && domain[ranks[order[i]]] === current) continue;
    if (i < n) current = domain[ranks[order[i]]];
    const list = order.slice(start, i);
    for (let k = 0; k < list.length; k++) {
      domainOf[list[k]] = domains.length;
      indexInDomain[list[k]] = k;
    }
    domains.push(list);
    start = i;
  }
  return { domainOf, indexInDomain, domains };
}

/**
 * Scale-out ports per server: the most distinct leaf-facing ports any server of these ranks has (read off
 * the ranks' ports of linksOfRanks, numbered once per holder, rather than searching their links again).
 */
function railsOf(
  fabric: Fabric,
  ranks: Int32Array,
  portStart: Int32Array,
  portIndex: Int32Array,
  ports: number,
): number {
  const server = fabric.accelerators.server;
  const seenBy = new Int32Array(ports).fill(-1);
  let servers = 0;
  for (let i = 0; i < ranks.length; i++) servers = Math.max(servers, server[ranks[i]] + 1);
  const perServer = new Int32Array(servers);
  let rails = 1;
  for (let i = 0; i < ranks.length; i++) {
    const s = server[ranks[i]];
    for (let k = portStart[i]; k < portStart[i + 1]; k++) {
      const port = portIndex[k];
      if (seenBy[port] === s) continue;
      seenBy[port] = s;
      rails = Math.max(rails, ++perServer[s]);
    }
  }
  return rails;
}

/**
 * Each rank's own links (fabric nodes in `node`): scale-up bandwidth and switches, scale-out ports
 * numbered as first met (a port shared by several of the ranks is one entry), PCIe to a shared NIC.
 */
export function linksOfRanks(fabric: Fabric, node: Int32Array) {
  const n = node.length;
  const { links, outStart, outLinks } = fabric;
  const kind = fabric.nodes.kind;
  const upBandwidth = new Float64Array(n);
  const outBandwidth = new Float64Array(n);
  const hostBandwidth = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const leaf = new Int32Array(n).fill(-1);
  let capacity = 0;
  for (let p = 0; p < n; p++) capacity += outStart[node[p] + 1] - outStart[node[p]];
  const upSwitchStart = new Int32Array(n + 1);
  const upSwitchNode = new Int32Array(capacity);
  const upSwitchShare = new Float64Array(capacity);
  const portStart = new Int32Array(n + 1);
  const portIndex = new Int32Array(capacity);
  const portShare = new Float64Array(capacity);
  // Ports are numbered as first met; a port's bandwidth is that of its holder's leaf links.
  const portOfNode = new Int32Array(fabric.nodes.count).fill(-1);
  const portBw = new Float64Array(capacity);
  const portLeaf = new Int32Array(capacity);
  const holderOf = new Int32Array(capacity);
  let ports = 0;
  let switches = 0;
  let used = 0;
  const linkTo = links.to;
  const linkTier = links.tier;
  const linkBandwidth = links.bandwidth;
  for (let p = 0; p < n; p++) {
    const a = node[p];
    for (let i = outStart[a]; i < outStart[a + 1]; i++) {
      const l = outLinks[i];
      const to = linkTo[l];
      const tier = linkTier[l];
      let holder = -1;
      if (tier === SCALE_UP_LINK) {
        upBandwidth[p] += linkBandwidth[l];
        if (kind[to] === SWITCH) {
          upSwitchNode[switches] = to;
          upSwitchShare[switches++] = linkBandwidth[l];
        }
      } else if (tier === LEAF_LINK) {
        holder = a;
      } else if (tier === HOST_LINK && kind[to] === NIC) {
        holder = to;
        hostBandwidth[p] = (Number.isFinite(hostBandwidth[p]) ? hostBandwidth[p] : 0) + linkBandwidth[l];
      }
      if (holder < 0) continue;
      if (portOfNode[holder] < 0) {
        const held = leafLinks(fabric, holder);
        portBw[ports] = held.bandwidth;
        portLeaf[ports] = held.leaf;
        holderOf[ports] = holder;
        portOfNode[holder] = ports++;
      }
      if (leaf[p] < 0) leaf[p] = portLeaf[portOfNode[holder]];
      // Several leaf links (planes) of one accelerator are one port.
      if (used > portStart[p] && portIndex[used - 1] === portOfNode[holder]) continue;
      portIndex[used++] = portOfNode[holder];
    }
    upSwitchStart[p + 1] = switches;
    portStart[p + 1] = used;
  }
  const portBandwidth = portBw.slice(0, ports);
  const users = new Int32Array(ports);
  for (let i = 0; i < used; i++) users[portIndex[i]]++;
  for (let p = 0; p < n; p++) {
    normalize(upSwitchShare, upSwitchStart[p], upSwitchStart[p + 1]);
    let share = 0;
    for (let i = portStart[p]; i < portStart[p + 1]; i++) {
      portShare[i] = portBandwidth[portIndex[i]];
      share += portBandwidth[portIndex[i]] / users[portIndex[i]];
    }
    normalize(portShare, portStart[p], portStart[p + 1]);
    // A rank's scale-out share: its ports' bandwidth split among the ranks that use them, and its PCIe.
    outBandwidth[p] = Math.min(share, hostBandwidth[p]);
  }
  return {
    upBandwidth,
    outBandwidth,
    leaf,
    upSwitchStart,
    upSwitchNode: upSwitchNode.slice(0, switches),
    upSwitchShare: upSwitchShare.slice(0, switches),
    portStart,
    portIndex: portIndex.slice(0, used),
    portShare: portShare.slice(0, used),
    portBandwidth,
    portHolder: holderOf.slice(0, ports),
    hostBandwidth,
  };
}

/** Divides entries from..to of `values` by their sum. */
function normalize(values: Float64Array, from: number, to: number): void {
  let total = 0;
  for (let k = from; k < to; k++) total += values[k];
  if (total > 0) for (let k = from; k < to; k++) values[k] /= total;
}

/** A port holder's leaf links: their total bandwidth (all planes) and the first leaf. */
function leafLinks(fabric: Fabric, holder: number): { bandwidth: number; leaf: number } {
  const { links, outStart, outLinks } = fabric;
  let bandwidth = 0;
  let leaf = -1;
  for (let i = outStart[holder]; i < outStart[holder + 1]; i++) {
    const l = outLinks[i];
    if (links.tier[l] !== LEAF_LINK) continue;
    bandwidth += links.bandwidth[l];
    if (leaf < 0) leaf = links.to[l];
  }
  return { bandwidth, leaf };
}

/** Whether position p reaches a scale-up switch in one hop. */
export function hasUpSwitch(layout: RankLayout, p: number): boolean {
  return layout.upSwitchStart[p + 1] > layout.upSwitchStart[p];
}

/** Latencies of representative paths: two ranks of the largest domain, and the first and last domains. */
function pathLatencies(
  fabric: Fabric,
  router: Router,
  node: Int32Array,
  domains: Int32Array[],
  upSwitchStart: Int32Array,
  upSwitchNode: Int32Array,
  leaf: Int32Array,
) {
  const buf = new Int32Array(Math.max(1, router.maxHops));
  const big = domains.reduce((a, b) => (b.length > a.length ? b : a));
  const up = big.length > 1 ? pathOf(fabric, router, node[big[0]], node[big[1]], buf) : undefined;
  const out =
    domains.length > 1
      ? pathOf(fabric, router, node[domains[0][0]], node[domains[domains.length - 1][0]], buf)
      : undefined;
  const first = domains[0][0];
  const incUp =
    upSwitchStart[first + 1] > upSwitchStart[first]
      ? linkLatency(fabric, node[first], upSwitchNode[upSwitchStart[first]])
      : 0;
  const incOut = leaf[first] >= 0 ? latencyToLeaf(fabric, node[first]) : 0;
  return {
    latency: { up: up?.latency ?? 0, out: out?.latency ?? 0, incUp, incOut },
    outTier: out ? LINK_TIER_NAMES[out.maxTier] : "scaleUp",
  };
}

function pathOf(fabric: Fabric, router: Router, src: number, dst: number, buf: Int32Array) {
  if (router.pathCount(src, dst) <= 0) {
    throw new WeftError(
      `no route from ${fabric.nodes.names[src]} to ${fabric.nodes.names[dst]}: the ranks of a collective must be connected`,
    );
  }
  const hops = router.path(src, dst, 0, buf);
  let latency = 0;
  let maxTier = 0;
  for (let i = 0; i < hops; i++) {
    latency += fabric.links.latency[buf[i]];
    maxTier = Math.max(maxTier, fabric.links.tier[buf[i]]);
  }
  return { latency, hops, maxTier };
}

/** Rank → its first scale-out switch: its own port, or PCIe to a NIC and the NIC's port. */
function latencyToLeaf(fabric: Fabric, a: number): number {
  const { links, outStart, outLinks } = fabric;
  for (let i = outStart[a]; i < outStart[a + 1]; i++) {
    const l = outLinks[i];
    if (links.tier[l] === LinkTier.leaf) return links.latency[l];
    if (links.tier[l] === LinkTier.host && fabric.nodes.kind[links.to[l]] === NodeKind.nic) {
      const nic = links.to[l];
      for (let j = outStart[nic]; j < outStart[nic + 1]; j++) {
        const m = outLinks[j];
        if (links.tier[m] === LinkTier.leaf) return links.latency[l] + links.latency[m];
      }
    }
  }
  return 0;
}

function linkLatency(fabric: Fabric, from: number, to: number): number {
  for (let i = fabric.outStart[from]; i < fabric.outStart[from + 1]; i++) {
    const l = fabric.outLinks[i];
    if (fabric.links.to[l] === to) return fabric.links.latency[l];
  }
  return 0;
}
