/** `single-switch`: every port on one switch, whatever its radix (a warning says when it is exceeded). */
import { sizeClos } from "./clos.js";
import { allLeaves, emptyLeafArrays, type LeafPlan, type PlanInput } from "./leaf-plan.js";

export function singleSwitchPlan({ cluster, ports, warnings }: PlanInput): LeafPlan {
  const { radix } = cluster.scaleOut.switch;
  if (ports.count > radix) {
    warnings.push(`single switch: ${ports.count} ports exceed its radix of ${radix}`);
  }
  const leaves = ports.count > 0 ? 1 : 0;
  const size = sizeClos(leaves, 1, radix, cluster.scaleOut.oversubscription);
  size.leafDown = Math.max(radix, ports.count);
  return {
    leaves,
    leafOfPort: new Int32Array(ports.count),
    ...emptyLeafArrays(leaves),
    networks: leaves ? [{ rail: -1, leaves: allLeaves(1), size }] : [],
  };
}
