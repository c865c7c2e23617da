/**
 * `rail-optimized` (NVIDIA DGX SuperPOD): scalable units of leafDown servers; NIC i of every server goes
 * to rail leaf i of its unit; spines (and cores) are a fat-tree over all rail leaves. A partial unit gets
 * the full unit's leaves and uplinks. One tier (everything fits one switch) builds a single switch.
 */
import { leafDownPorts, sizeClos } from "./clos.js";
import { networkTiers } from "./fat-tree.js";
import { allLeaves, type LeafPlan, type PlanInput, placeOnRails } from "./leaf-plan.js";
import { singleSwitchPlan } from "./single-switch.js";

export function railOptimizedPlan(input: PlanInput): LeafPlan {
  const { cluster, ports } = input;
  const { radix } = cluster.scaleOut.switch;
  const o = cluster.scaleOut.oversubscription;
  const requested = cluster.scaleOut.tiers;
  if (requested === 1 && ports.count <= radix) return singleSwitchPlan(input);
  const leafOfPort = new Int32Array(ports.count);
  const placed = placeOnRails(cluster, ports, leafDownPorts(radix, 2, o), leafOfPort);
  const size = sizeClos(
    placed.leaves,
    networkTiers(requested, placed.leaves, radix, o, input.warnings),
    radix,
    o,
  );
  return {
    ...placed,
    leafOfPort,
    networks: placed.leaves ? [{ rail: -1, leaves: allLeaves(placed.leaves), size }] : [],
  };
}
