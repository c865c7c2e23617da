/**
 * `rail-optimized` (NVIDIA DGX SuperPOD): scalable units of leafDown servers; NIC i of every server goes
 * to rail leaf i of its unit; spines (and cores) are a fat-tree over all rail leaves. A partial unit gets
 * the full unit's leaves and uplinks. One tier (everything fits one switch) builds a single switch.
 */
import { oneClosPlan } from "./fat-tree.js";
import { type LeafPlan, type PlanInput, placeOnRails } from "./leaf-plan.js";

export function railOptimizedPlan(input: PlanInput): LeafPlan {
  return oneClosPlan(input, (perLeaf, leafOfPort) =>
    placeOnRails(input.cluster, input.ports, perLeaf, leafOfPort),
  );
}
