/**
 * The fabric as the dashboard draws it: nodes with their kind and tier, one entry per cable (not per
 * direction), cables the scenario fails marked, and the bill of materials. Plain arrays, so a 16K-GPU
 * fabric travels as a few hundred kilobytes of JSON.
 */

import { WeftError } from "../errors.js";
import { fabricSummary, type PlanSummary, planSummary } from "../report/plan.js";
import type { FabricSummary, LinkUtilization } from "../results/types.js";
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
    /** With a run's link utilization: the busier direction's utilization of each cable (0–1). */
    load?: number[];
  };
  cableTiers: readonly string[];
  groups: string[];
  plan: PlanSummary;
}

/** A run's link loads offered for a scenario that builds another fabric. */
export class OtherFabric extends WeftError {}

/**
 * The scenario's fabric as a graph; with `utilization` (a run's `linkUtilization` on this fabric) each
 * cable carries the busier direction's load.
 */
export function fabricGraph(
  scenario: Scenario,
  utilization?: LinkUtilization,
  runFabric?: FabricSummary,
): FabricGraph {
  const fabric = buildScenarioFabric(scenario);
  // Any run's results carry its fabric's counts: another fabric is told apart even without link loads.
  if (runFabric && JSON.stringify(runFabric) !== JSON.stringify(fabricSummary(fabric))) {
    throw new OtherFabric(
      `the run was on another fabric (${runFabric.accelerators} accelerators, ${runFabric.links} cables; this scenario builds ${fabric.accelerators.count} and ${fabric.links.count / 2}): expected the scenario the run was started from`,
    );
  }
  if (utilization && utilization.links !== fabric.links.count) {
    throw new OtherFabric(
      `the run's link loads are for a fabric of ${utilization.links} links; this scenario builds ${fabric.links.count}: ` +
        "expected the scenario the run was started from",
    );
  }
  const perLink = new Float64Array(utilization ? fabric.links.count : 0);
  if (utilization) for (const [i, l] of utilization.index.entries()) perLink[l] = utilization.utilization[i];
  const plan = planSummary(fabric, scenario);
  const { links, nodes } = fabric;
  const down = new Uint8Array(links.count);
  for (const f of resolveFailures(fabric, scenario.failures, scenario.simulation.seed))
    if (f.degrade >= 1) for (let i = 0; i < f.links.length; i++) down[f.links[i]] = 1;
  const cables: FabricGraph["cables"] = { from: [], to: [], tier: [], bandwidth: [], failed: [] };
  const load: number[] = [];
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
    if (utilization) load.push(Math.max(perLink[l], perLink[r]));
  }
  if (utilization) cables.load = load;
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
