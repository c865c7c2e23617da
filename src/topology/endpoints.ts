/**
 * Endpoints and NICs. Each group contributes `nodes` servers; an accelerator group has acceleratorsPerNode
 * accelerators per server (global rank order: group by group, server by server, local index), other groups
 * one endpoint per server. Names: `<group>-n<server>-a<local>`, `<group>-n<server>`, NICs
 * `<group>-n<server>-nic<j>`.
 *
 * Scale-out ports: a server has `nics.count` NIC ports. When that equals its accelerators, accelerator i
 * holds port i itself (rail i) and no NIC node is built. Otherwise each port is a NIC node, joined to the
 * accelerators that use it by host (PCIe) links: with n NICs for a accelerators, accelerator i uses NIC
 * ⌊i·n/a⌋ when n <= a, and NIC j belongs to accelerator ⌊j·a/n⌋ when n > a. Memory, storage and host
 * endpoints hold their NIC ports themselves.
 */
import type { ClusterSpec, GroupSpec } from "../scenario/types.js";
import type { AcceleratorIndex, GroupInfo } from "./fabric.js";
import { LinkTier, NodeKind, SwitchTier } from "./fabric.js";
import { addCable, addNode, type GraphDraft } from "./graph.js";

/** PCIe Gen5 x16, per direction (PCI-SIG: 32 GT/s × 16 lanes ≈ 64 GB/s). */
export const PCIE_GEN5_X16 = 64e9;

/** The scale-out NIC ports, one entry per port (before splitting into planes), in placement order. */
export interface PortTable {
  count: number;
  /** The node that holds the port: an accelerator, a NIC node or a memory/storage/host endpoint. */
  attach: Int32Array;
  group: Int16Array;
  /** Server index within its group. */
  server: Int32Array;
  /** NIC index within its server (the rail). */
  rail: Int16Array;
  bandwidth: Float64Array;
}

/** Host links accelerator → NIC, one per (accelerator, NIC) pair that shares a server. */
export interface HostLinks {
  count: number;
  acc: Int32Array;
  port: Int32Array;
  link: Int32Array;
}

export interface Endpoints {
  groups: GroupInfo[];
  accelerators: AcceleratorIndex;
  ports: PortTable;
  host: HostLinks;
  /** Global server index of each group's first server. */
  serverBase: number[];
}

const KIND: Record<GroupSpec["kind"], NodeKind> = {
  accelerator: NodeKind.accelerator,
  memory: NodeKind.memory,
  storage: NodeKind.storage,
  host: NodeKind.host,
};

function endpointsPerServer(g: GroupSpec): number {
  return g.kind === "accelerator" ? g.acceleratorsPerNode : 1;
}

/** An accelerator group whose NIC count differs from its accelerators goes through NIC nodes. */
export function usesNicNodes(g: GroupSpec): boolean {
  return g.kind === "accelerator" && g.nics.count > 0 && g.nics.count !== g.acceleratorsPerNode;
}

export function addEndpoints(d: GraphDraft, cluster: ClusterSpec, hostBandwidth: number): Endpoints {
  const groups = cluster.groups;
  let accelCount = 0;
  let portCount = 0;
  let hostCount = 0;
  for (const g of groups) {
    if (g.kind === "accelerator") accelCount += g.nodes * g.acceleratorsPerNode;
    portCount += g.nodes * g.nics.count;
    if (usesNicNodes(g)) hostCount += g.nodes * Math.max(g.nics.count, g.acceleratorsPerNode);
  }
  const accelerators: AcceleratorIndex = {
    count: accelCount,
    node: new Int32Array(accelCount),
    group: new Int16Array(accelCount),
    server: new Int32Array(accelCount),
    local: new Int16Array(accelCount),
    domain: new Int32Array(accelCount),
  };
  const infos: GroupInfo[] = [];
  const serverBase: number[] = [];
  let rank = 0;
  let server = 0;
  groups.forEach((g, gi) => {
    const per = endpointsPerServer(g);
    const nodes = new Int32Array(g.nodes * per);
    infos.push({ name: g.name, kind: g.kind, servers: g.nodes, endpoints: nodes, firstRank: rank });
    serverBase.push(server);
    for (let s = 0; s < g.nodes; s++, server++) {
      for (let e = 0; e < per; e++) {
        const name = g.kind === "accelerator" ? `${g.name}-n${s}-a${e}` : `${g.name}-n${s}`;
        const id = addNode(d, {
          kind: KIND[g.kind],
          tier: SwitchTier.none,
          group: gi,
          plane: -1,
          pod: -1,
          name,
        });
        nodes[s * per + e] = id;
        if (g.kind !== "accelerator") continue;
        accelerators.node[rank] = id;
        accelerators.group[rank] = gi;
        accelerators.server[rank] = server;
        accelerators.local[rank] = e;
        rank++;
      }
    }
  });
  const ports = newPortTable(portCount);
  const host: HostLinks = {
    count: 0,
    acc: new Int32Array(hostCount),
    port: new Int32Array(hostCount),
    link: new Int32Array(hostCount),
  };
  const planes = cluster.scaleOut.planes;
  groups.forEach((g, gi) => {
    addPorts(d, g, gi, infos[gi], ports, host, hostBandwidth, planes);
  });
  return { groups: infos, accelerators, ports, host, serverBase };
}

function newPortTable(count: number): PortTable {
  return {
    count: 0,
    attach: new Int32Array(count),
    group: new Int16Array(count),
    server: new Int32Array(count),
    rail: new Int16Array(count),
    bandwidth: new Float64Array(count),
  };
}

function addPorts(
  d: GraphDraft,
  g: GroupSpec,
  gi: number,
  info: GroupInfo,
  ports: PortTable,
  host: HostLinks,
  hostBandwidth: number,
  planes: number,
): void {
  const n = g.nics.count;
  const a = g.acceleratorsPerNode;
  const per = endpointsPerServer(g);
  const viaNic = usesNicNodes(g);
  for (let s = 0; s < g.nodes; s++) {
    for (let j = 0; j < n; j++) {
      const p = ports.count++;
      ports.group[p] = gi;
      ports.server[p] = s;
      ports.rail[p] = j;
      ports.bandwidth[p] = g.nics.bandwidth;
      if (!viaNic) {
        // One port per accelerator (port j on accelerator j), or every port on the single endpoint.
        ports.attach[p] = info.endpoints[s * per + (g.kind === "accelerator" ? j : 0)];
        continue;
      }
      const nic = addNode(d, {
        kind: NodeKind.nic,
        tier: SwitchTier.none,
        group: gi,
        plane: planes > 1 ? -1 : 0,
        pod: -1,
        name: `${g.name}-n${s}-nic${j}`,
      });
      ports.attach[p] = nic;
      for (let i = 0; i < a; i++) {
        const joined = n <= a ? Math.floor((i * n) / a) === j : Math.floor((j * a) / n) === i;
        if (!joined) continue;
        const h = host.count++;
        host.acc[h] = info.endpoints[s * per + i];
        host.port[h] = p;
        host.link[h] = addCable(d, host.acc[h], nic, hostBandwidth, 0, 0, LinkTier.host, true);
      }
    }
  }
}
