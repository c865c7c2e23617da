/**
 * The shape of a set of concurrent groups: everything the closed form reads about their ranks, with
 * fabric ids replaced by the order in which they are first met. Two sets of the same shape — the
 * data-parallel groups of stage 0 and of stage 5 on a fabric whose pods hold a stage each — take the
 * same closed-form time, so it is computed once. Per rank, in order: its domain, server, local index and
 * accelerator group; each of its links (tier, bandwidth, latency, far end); for a NIC, its leaf links;
 * for a leaf met first, the capacity of its uplink bundles and its pod; for a pod, its bundles' capacity.
 */
import { type Fabric, NodeKind } from "../topology/fabric.js";
import { sharedLinks } from "./shared-links.js";

interface Labels {
  epoch: number;
  nodeStamp: Int32Array;
  nodeLabel: Int32Array;
  domainStamp: Int32Array;
  domainLabel: Int32Array;
  serverStamp: Int32Array;
  serverLabel: Int32Array;
}

const labelsCache = new WeakMap<Fabric, Labels>();
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function labelsOf(fabric: Fabric): Labels {
  let l = labelsCache.get(fabric);
  if (!l) {
    const acc = fabric.accelerators;
    let domains = 0;
    let servers = 0;
    for (let r = 0; r < acc.count; r++) {
      domains = Math.max(domains, acc.domain[r] + 1);
      servers = Math.max(servers, acc.server[r] + 1);
    }
    l = {
      epoch: 0,
      nodeStamp: new Int32Array(fabric.nodes.count),
      nodeLabel: new Int32Array(fabric.nodes.count),
      domainStamp: new Int32Array(domains),
      domainLabel: new Int32Array(domains),
      serverStamp: new Int32Array(servers),
      serverLabel: new Int32Array(servers),
    };
    labelsCache.set(fabric, l);
  }
  return l;
}

/** FNV-1a-style mixing of one 32-bit value. */
function mix(h: number, x: number): number {
  return Math.imul(h ^ (x | 0), 0x01000193);
}

function mixNumber(h: number, x: number): number {
  f64[0] = x;
  return mix(mix(h, u32[0]), u32[1]);
}

/** The shape of `groups` on `fabric`, as a cache key (two independent 32-bit hashes and the sizes). */
export function shapeSignature(fabric: Fabric, groups: readonly Int32Array[]): string {
  const lab = labelsOf(fabric);
  const epoch = ++lab.epoch;
  const shared = sharedLinks(fabric);
  const acc = fabric.accelerators;
  const { links, outStart, outLinks } = fabric;
  const kind = fabric.nodes.kind;
  let nodes = 0;
  let domains = 0;
  let servers = 0;
  const pods = new Map<number, number>();
  let h1 = 0x811c9dc5;
  let h2 = 0x2545f491;
  const label = (v: number): number => {
    if (lab.nodeStamp[v] === epoch) return lab.nodeLabel[v];
    lab.nodeStamp[v] = epoch;
    lab.nodeLabel[v] = nodes++;
    if (shared.leafUp[v] >= 0 || kind[v] === NodeKind.switch) describeLeaf(v);
    return lab.nodeLabel[v];
  };
  const describeLeaf = (v: number) => {
    const up = shared.leafUp[v];
    if (up < 0) return;
    h2 = mixNumber(h2, shared.capacity[up]);
    h2 = mixNumber(h2, shared.capacity[shared.leafDown[v]]);
    const pod = shared.pod[v];
    if (pod < 0) return;
    let p = pods.get(pod);
    if (p === undefined) {
      p = pods.size;
      pods.set(pod, p);
      if (shared.podUp[v] >= 0) h2 = mixNumber(h2, shared.capacity[shared.podUp[v]]);
    }
    h2 = mix(h2, p);
  };
  const describeLinks = (v: number, depth: number) => {
    for (let i = outStart[v]; i < outStart[v + 1]; i++) {
      const l = outLinks[i];
      const to = links.to[l];
      h1 = mix(h1, links.tier[l]);
      h1 = mixNumber(h1, links.bandwidth[l]);
      h1 = mixNumber(h1, links.latency[l]);
      const seen = lab.nodeStamp[to] === epoch;
      h1 = mix(h1, label(to));
      // A NIC's own leaf links, once.
      if (depth === 0 && kind[to] === NodeKind.nic && !seen) describeLinks(to, 1);
    }
  };
  for (const g of groups) {
    h1 = mix(h1, g.length);
    for (let p = 0; p < g.length; p++) {
      const r = g[p];
      if (!(r >= 0 && r < acc.count)) return `invalid:${r}`;
      const d = acc.domain[r];
      if (lab.domainStamp[d] !== epoch) {
        lab.domainStamp[d] = epoch;
        lab.domainLabel[d] = domains++;
      }
      const s = acc.server[r];
      if (lab.serverStamp[s] !== epoch) {
        lab.serverStamp[s] = epoch;
        lab.serverLabel[s] = servers++;
      }
      h1 = mix(h1, lab.domainLabel[d]);
      h1 = mix(h1, lab.serverLabel[s]);
      h1 = mix(h1, acc.local[r]);
      h1 = mix(h1, acc.group[r]);
      h2 = mix(h2, label(acc.node[r]));
      describeLinks(acc.node[r], 0);
    }
  }
  return `${groups.length}x${groups[0]?.length ?? 0}:${(h1 >>> 0).toString(16)}:${(h2 >>> 0).toString(16)}`;
}
