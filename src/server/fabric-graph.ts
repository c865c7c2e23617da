/**
 * The fabric as the dashboard draws it: nodes with their kind and tier, one entry per cable (not per
 * direction), cables the scenario fails marked, and the bill of materials. Plain arrays, so a 16K-GPU
 * fabric travels as a few hundred kilobytes of JSON.
 */

import { type PlanSummary, planSummary } from "../report/plan.js";
import type { Scenario } from "../scenario/types.js";
import { resolveFailures } from "../sim/failures.js";
import { buildScenarioFabric } from "../topology/build.js";
import { type Fabric, LINK_TIER_NAMES, LinkTier, NodeKind, SWITCH_TIER_NAMES } from "../topology/fabric.js";

export const NODE_KIND_NAMES = ["accelerator", "memory", "storage", "host", "nic", "switch"] as const;

export interface FabricGraph {
  nodes: {
    names: string[];
    /** Index into `kinds`. */
    kind: number[];
    /** Index into `tiers` (switch tier; 0 for endpoints and NICs). */
    tier: number[];
    group: number[];
    /** Server (tray) of accelerators and their NICs, -1 for everything else: lets big fabrics draw servers. */
    server: number[];
  };
  kinds: readonly string[];
  tiers: readonly string[];
  cables: {
    /** Lower and upper end of each cable (node ids). */
    from: number[];
    to: number[];
    /** Index into `cableTiers`. */
    tier: number[];
    /** Bytes per second, each direction. */
    bandwidth: number[];
    /** 1 where the scenario fails the cable (or degrades it fully). */
    failed: number[];
  };
  cableTiers: readonly string[];
  groups: string[];
  plan: PlanSummary;
}

export function fabricGraph(scenario: Scenario): FabricGraph {
  const fabric = buildScenarioFabric(scenario);
  const plan = planSummary(fabric, scenario);
  const { links, nodes } = fabric;
  const down = new Uint8Array(links.count);
  for (const f of resolveFailures(fabric, scenario.failures, scenario.simulation.seed))
    if (f.degrade >= 1) for (let i = 0; i < f.links.length; i++) down[f.links[i]] = 1;
  const cables: FabricGraph["cables"] = { from: [], to: [], tier: [], bandwidth: [], failed: [] };
  for (let l = 0; l < links.count; l++) {
    const r = links.reverse[l];
    if (r < l) continue;
    // Name each cable from its lower end to its upper one.
    const upward = links.up[l] === 1 || links.up[r] !== 1;
    cables.from.push(upward ? links.from[l] : links.to[l]);
    cables.to.push(upward ? links.to[l] : links.from[l]);
    cables.tier.push(links.tier[l]);
    cables.bandwidth.push(links.bandwidth[l]);
    cables.failed.push(down[l] | down[r]);
  }
  return {
    nodes: {
      names: nodes.names,
      kind: Array.from(nodes.kind),
      tier: Array.from(nodes.tier),
      group: Array.from(nodes.group),
      server: serverOf(fabric),
    },
    kinds: NODE_KIND_NAMES,
    tiers: SWITCH_TIER_NAMES,
    cables,
    cableTiers: LINK_TIER_NAMES,
    groups: fabric.groups.map((g) => g.name),
    plan,
  };
}

/** The server of each accelerator, and of each NIC through its host (PCIe) link; -1 elsewhere. */
function serverOf(fabric: Fabric): number[] {
  const { nodes, links, accelerators } = fabric;
  const server = new Array<number>(nodes.count).fill(-1);
  for (let a = 0; a < accelerators.count; a++) server[accelerators.node[a]] = accelerators.server[a];
  for (let l = 0; l < links.count; l++) {
    const nic = links.to[l];
    if (links.tier[l] === LinkTier.host && nodes.kind[nic] === NodeKind.nic && server[links.from[l]] >= 0)
      server[nic] = server[links.from[l]];
  }
  return server;
}
