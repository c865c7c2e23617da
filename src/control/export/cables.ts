/**
 * The scale-out cables of a fabric, each once, named by its two ends: the a-end is the lower device (a NIC,
 * an endpoint, or the lower switch), the z-end the upper one. Tiers are named by the upper end, as the bill
 * of materials counts them (`leaf` = node-to-leaf, `spine` = leaf-spine, `core` = spine-core). Scale-up
 * links (NVLink / UALink) and host links (PCIe) are inside a node or a rack's backplane: not cables to lay.
 */
import { isScaleOutTier } from "../../topology/cable-parts.js";
import { type Fabric, LINK_TIER_NAMES } from "../../topology/fabric.js";
import { linkPortName, type PortMap } from "../../topology/names.js";

export interface Cable {
  /** `C000001`, numbered in link order from 1. */
  id: string;
  /** The up-going directed link (a → z); its reverse is z → a. */
  link: number;
  tier: "leaf" | "spine" | "core";
  a: number;
  aPort: string;
  z: number;
  zPort: string;
  /** Per direction, bytes/s. */
  bandwidth: number;
}

export function scaleOutCables(fabric: Fabric, ports: PortMap): Cable[] {
  const { links } = fabric;
  const out: Cable[] = [];
  for (let l = 0; l < links.count; l++) {
    if (!isScaleOutTier(links.tier[l]) || links.up[l] !== 1) continue;
    const r = links.reverse[l];
    out.push({
      id: `C${String(out.length + 1).padStart(6, "0")}`,
      link: l,
      tier: LINK_TIER_NAMES[links.tier[l]] as Cable["tier"],
      a: links.from[l],
      aPort: linkPortName(fabric, ports, l),
      z: links.to[l],
      zPort: linkPortName(fabric, ports, r),
      bandwidth: links.bandwidth[l],
    });
  }
  return out;
}
