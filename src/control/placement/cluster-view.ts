/**
 * What placement needs to know of a fabric, per accelerator rank, in typed arrays: its scale-up domain,
 * its server, the leaf of its first scale-out port (the leaf that names its place), that leaf's pod, and
 * per server the leaves its NICs reach (a rail-optimized server reaches one leaf per rail).
 */
import { type Fabric, LinkTier, NodeKind } from "../../topology/fabric.js";

export interface ClusterView {
  accelerators: number;
  domain: Int32Array;
  server: Int32Array;
  /** Leaf node id of the rank's first port, -1 when it has none. */
  leaf: Int32Array;
  /** Pod of that leaf (-1 in a 2-tier network: one pod). */
  pod: Int32Array;
  /** Leaves (node ids) each server reaches: serverLeaves[serverLeafStart[s] .. serverLeafStart[s+1]). */
  serverLeafStart: Int32Array;
  serverLeaves: Int32Array;
  servers: number;
  domains: number;
  /** Up-link capacity of each leaf node (bytes/s), 0 for other nodes. */
  leafUplink: Float64Array;
}

export function clusterView(fabric: Fabric): ClusterView {
  const acc = fabric.accelerators;
  const n = acc.count;
  const leaf = new Int32Array(n).fill(-1);
  const pod = new Int32Array(n).fill(-1);
  let servers = 0;
  let domains = 0;
  for (let r = 0; r < n; r++) {
    servers = Math.max(servers, acc.server[r] + 1);
    domains = Math.max(domains, acc.domain[r] + 1);
  }
  const perServer: Set<number>[] = Array.from({ length: servers }, () => new Set<number>());
  for (let r = 0; r < n; r++) {
    const leaves = leavesOf(fabric, acc.node[r]);
    if (leaves.length) {
      leaf[r] = leaves[0];
      pod[r] = fabric.nodes.pod[leaves[0]];
    }
    for (const l of leaves) perServer[acc.server[r]].add(l);
  }
  const serverLeafStart = new Int32Array(servers + 1);
  for (let s = 0; s < servers; s++) serverLeafStart[s + 1] = serverLeafStart[s] + perServer[s].size;
  const serverLeaves = new Int32Array(serverLeafStart[servers]);
  perServer.forEach((set, s) => {
    serverLeaves.set(
      [...set].sort((a, b) => a - b),
      serverLeafStart[s],
    );
  });
  const leafUplink = new Float64Array(fabric.nodes.count);
  const { links } = fabric;
  for (let l = 0; l < links.count; l++) {
    if (links.up[l] === 1 && links.tier[l] === LinkTier.spine)
      leafUplink[links.from[l]] += links.bandwidth[l];
  }
  return {
    accelerators: n,
    domain: Int32Array.from(acc.domain),
    server: Int32Array.from(acc.server),
    leaf,
    pod,
    serverLeafStart,
    serverLeaves,
    servers,
    domains,
    leafUplink,
  };
}

/** Leaves an endpoint reaches: through its own ports, or through the NICs its host links lead to. */
function leavesOf(fabric: Fabric, v: number): number[] {
  const { links, outStart, outLinks, nodes } = fabric;
  const own: number[] = [];
  const viaNic: number[] = [];
  for (let k = outStart[v]; k < outStart[v + 1]; k++) {
    const l = outLinks[k];
    const to = links.to[l];
    if (links.tier[l] === LinkTier.leaf) own.push(to);
    else if (links.tier[l] === LinkTier.host && nodes.kind[to] === NodeKind.nic) {
      for (let j = outStart[to]; j < outStart[to + 1]; j++) {
        const m = outLinks[j];
        if (links.tier[m] === LinkTier.leaf) viaNic.push(links.to[m]);
      }
    }
  }
  return own.length ? own : viaNic;
}

/** Server of every endpoint and NIC node (NICs by the accelerator their host link serves), -1 elsewhere. */
export function serverOfNode(fabric: Fabric): Int32Array {
  const { nodes, links, outStart, outLinks, accelerators: acc } = fabric;
  const server = new Int32Array(nodes.count).fill(-1);
  for (let r = 0; r < acc.count; r++) server[acc.node[r]] = acc.server[r];
  for (let v = 0; v < nodes.count; v++) {
    if (nodes.kind[v] !== NodeKind.nic) continue;
    for (let k = outStart[v]; k < outStart[v + 1]; k++) {
      const peer = links.to[outLinks[k]];
      if (server[peer] >= 0) {
        server[v] = server[peer];
        break;
      }
    }
  }
  return server;
}
