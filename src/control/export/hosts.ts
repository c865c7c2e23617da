/**
 * `weft export --format hosts`: per server, the address of each NIC port (the odd end of its cable's /31,
 * the leaf's end as gateway) and the rail order NCCL should use: accelerator i of a server talks through the
 * NIC its host link reaches (the NIC on its PCIe switch), or through its own port; on a rail-optimized or
 * rail-only fabric NIC j is on rail j (leaf j of the scalable unit), so keeping each accelerator on its own
 * NIC keeps traffic on its rail (`NCCL_CROSS_NIC=0`).
 */
import type { ClusterSpec } from "../../scenario/types.js";
import { type Fabric, LinkTier, NodeKind } from "../../topology/fabric.js";
import { type AddressPlan, formatIpv4 } from "./addresses.js";
import type { Cable } from "./cables.js";

export interface HostNic {
  device: string;
  port: string;
  address: string;
  gateway: string;
  leaf: string;
  leafPort: string;
  plane: number;
}

export interface HostEntry {
  server: string;
  nics: HostNic[];
  /** Per accelerator of the server, in local order: the NIC ports it should use, nearest first. */
  railOrder: { accelerator: string; nics: string[] }[];
  env: Record<string, string>;
}

export function hostsPlan(
  fabric: Fabric,
  cluster: ClusterSpec,
  cables: Cable[],
  plan: AddressPlan,
): HostEntry[] {
  const { nodes, accelerators: acc } = fabric;
  const nicsOf = new Map<number, HostNic[]>();
  cables.forEach((c, k) => {
    if (c.tier !== "leaf") return;
    const base = plan.cableBase(k);
    const list = nicsOf.get(c.a) ?? [];
    list.push({
      device: nodes.names[c.a],
      port: c.aPort,
      address: `${formatIpv4(base + 1)}/31`,
      gateway: formatIpv4(base),
      leaf: nodes.names[c.z],
      leafPort: c.zPort,
      plane: Math.max(0, nodes.plane[c.z]),
    });
    nicsOf.set(c.a, list);
  });
  const railed = cluster.scaleOut.topology === "rail-optimized" || cluster.scaleOut.topology === "rail-only";
  const out: HostEntry[] = [];
  const servers = new Map<string, HostEntry>();
  const entryFor = (key: string) => {
    let e = servers.get(key);
    if (!e) {
      e = { server: key, nics: [], railOrder: [], env: railed ? { NCCL_CROSS_NIC: "0" } : {} };
      servers.set(key, e);
      out.push(e);
    }
    return e;
  };
  const seenNic = new Set<number>();
  for (let r = 0; r < acc.count; r++) {
    const v = acc.node[r];
    const e = entryFor(nodes.names[v].replace(/-a\d+$/, ""));
    const own: string[] = [];
    for (const device of reachableNics(fabric, v)) {
      for (const nic of nicsOf.get(device) ?? []) own.push(`${nic.device}:${nic.port}`);
      if (!seenNic.has(device)) {
        seenNic.add(device);
        e.nics.push(...(nicsOf.get(device) ?? []));
      }
    }
    e.railOrder.push({ accelerator: nodes.names[v], nics: own });
  }
  for (const g of fabric.groups) {
    if (g.kind === "accelerator") continue;
    for (const v of g.endpoints) {
      const e = entryFor(nodes.names[v]);
      for (const device of reachableNics(fabric, v)) e.nics.push(...(nicsOf.get(device) ?? []));
    }
  }
  return out;
}

/** The devices holding scale-out ports for endpoint v: itself, or the NICs its host links reach. */
function reachableNics(fabric: Fabric, v: number): number[] {
  const { links, outStart, outLinks, nodes } = fabric;
  const out: number[] = [];
  let own = false;
  for (let k = outStart[v]; k < outStart[v + 1]; k++) {
    const l = outLinks[k];
    if (links.tier[l] === LinkTier.host && nodes.kind[links.to[l]] === NodeKind.nic) out.push(links.to[l]);
    else if (links.tier[l] >= LinkTier.leaf) own = true;
  }
  if (own) out.unshift(v);
  return out;
}
