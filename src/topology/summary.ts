/** The `fabric` block every run's results carry: counts read off a built fabric. */
import type { FabricSummary } from "../results/types.js";
import { switchCounts } from "./bom.js";
import { type Fabric, NodeKind } from "./fabric.js";

/** Endpoints (accelerators, memory, storage, hosts) of a fabric. */
export function endpointCount(fabric: Fabric): number {
  let n = 0;
  for (let v = 0; v < fabric.nodes.count; v++) if (fabric.nodes.kind[v] < NodeKind.nic) n++;
  return n;
}

/** The `fabric` block of every run's results. */
export function fabricSummary(fabric: Fabric): FabricSummary {
  return {
    accelerators: fabric.accelerators.count,
    endpoints: endpointCount(fabric),
    switches: switchCounts(fabric),
    links: fabric.links.count / 2,
  };
}
