/**
 * How big a scenario's fabric will be, from the scenario alone (nothing is built): accelerators,
 * endpoints, NIC ports and directed links. A fat-tree of t tiers gives every scale-out port one cable per
 * tier (oversubscription only thins the upper tiers), each cable two directed links; a scale-up domain
 * gives each accelerator a link up and one down.
 */
import type { Scenario } from "../scenario/types.js";

export interface FabricSize {
  accelerators: number;
  endpoints: number;
  nicPorts: number;
  links: number;
}

export function fabricSize(scenario: Scenario): FabricSize {
  const { groups, scaleOut } = scenario.cluster;
  let accelerators = 0;
  let endpoints = 0;
  let nicPorts = 0;
  for (const g of groups) {
    const perNode = g.kind === "accelerator" ? g.acceleratorsPerNode : 1;
    if (g.kind === "accelerator") accelerators += g.nodes * perNode;
    endpoints += g.nodes * perNode;
    nicPorts += g.nodes * g.nics.count * scaleOut.planes;
  }
  const tiers = scaleOut.topology === "single-switch" ? 1 : scaleOut.tiers;
  const links = 2 * nicPorts * tiers + 2 * accelerators;
  return { accelerators, endpoints, nicPorts, links };
}
