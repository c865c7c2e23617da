/**
 * The address and ASN plans (docs/fabric-manager.md):
 * - every scale-out cable k (in cable order) gets the /31 `10.0.0.0 + 2k`: the upper (z) end takes the even
 *   address, the lower (a) end the odd one; 10.0.0.0/9 holds 4,194,304 cables;
 * - every scale-out switch s (in node order) gets the loopback `10.128.0.0 + s`/32 (10.128.0.0/10);
 * - an eBGP underlay in the style of RFC 7938 with private 4-byte ASNs (RFC 6996, 4200000000–4294967294):
 *   every leaf its own ASN (4201000000 + leaf), the spines of one pod of a 3-tier network one ASN per pod
 *   (4200001000 + pod), the top tier of each Clos network (spines of a 2-tier network, cores of a 3-tier
 *   one) one shared ASN (4200000000), so a path never passes the same ASN twice and needs no allowas-in.
 */
import { WeftError } from "../../errors.js";
import { type Fabric, SwitchTier } from "../../topology/fabric.js";
import type { Cable } from "./cables.js";

export const P2P_BASE = ipv4("10.0.0.0");
export const P2P_CABLES = 1 << 22;
export const LOOPBACK_BASE = ipv4("10.128.0.0");
export const LOOPBACKS = 1 << 22;
export const ASN_TOP = 4_200_000_000;
export const ASN_POD_BASE = 4_200_001_000;
export const ASN_LEAF_BASE = 4_201_000_000;
export const ASN_MAX = 4_294_967_294;

export function ipv4(text: string): number {
  const parts = text.split(".").map(Number);
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

export function formatIpv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export interface AddressPlan {
  /** Per cable (by index in the cable list): the z-end address; the a-end is z + 1. */
  cableBase: (cableIndex: number) => number;
  /** Loopback per node, -1 for nodes without one. */
  loopback: Float64Array;
  /** ASN per node, 0 for nodes that do not speak BGP. */
  asn: Float64Array;
}

export function addressPlan(fabric: Fabric, cables: Cable[]): AddressPlan {
  if (cables.length > P2P_CABLES) {
    throw new WeftError(
      `${cables.length.toLocaleString("en-US")} cables: the point-to-point plan (10.0.0.0/9) holds ${P2P_CABLES.toLocaleString("en-US")}`,
    );
  }
  const { nodes } = fabric;
  const loopback = new Float64Array(nodes.count).fill(-1);
  const asn = new Float64Array(nodes.count);
  const topTier = topTiers(fabric);
  let switches = 0;
  let leaves = 0;
  for (let v = 0; v < nodes.count; v++) {
    const tier = nodes.tier[v];
    if (tier < SwitchTier.leaf) continue;
    if (switches >= LOOPBACKS)
      throw new WeftError(`more than ${LOOPBACKS} switches: the loopback plan is full`);
    loopback[v] = LOOPBACK_BASE + switches++;
    if (tier === SwitchTier.leaf && topTier.get(networkOf(fabric, v)) !== SwitchTier.leaf) {
      asn[v] = ASN_LEAF_BASE + leaves++;
    } else if (tier === topTier.get(networkOf(fabric, v))) asn[v] = ASN_TOP;
    else asn[v] = ASN_POD_BASE + Math.max(0, nodes.pod[v]);
  }
  if (ASN_LEAF_BASE + leaves > ASN_MAX)
    throw new WeftError(`${leaves} leaves: the private ASN range is full`);
  return { cableBase: (k) => P2P_BASE + 2 * k, loopback, asn };
}

function networkOf(fabric: Fabric, v: number): number {
  return fabric.layout ? fabric.layout.switchNet[v] : 0;
}

/** The highest switch tier of each Clos network. */
function topTiers(fabric: Fabric): Map<number, number> {
  const top = new Map<number, number>();
  for (let v = 0; v < fabric.nodes.count; v++) {
    const tier = fabric.nodes.tier[v];
    if (tier < SwitchTier.leaf) continue;
    const net = networkOf(fabric, v);
    top.set(net, Math.max(top.get(net) ?? 0, tier));
  }
  return top;
}
