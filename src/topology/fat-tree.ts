/**
 * `fat-tree`: ports fill leaves in order (server by server, NIC by NIC), each group on a fresh leaf; spines
 * and cores as sized by clos.ts. One tier means one switch; when the requested tiers cannot hold the leaves,
 * the fewest tiers that can are built and a warning says so.
 */
import { WeftError } from "../errors.js";
import { closWarnings, leafDownPorts, sizeClos, tiersForLeaves } from "./clos.js";
import { allLeaves, emptyLeafArrays, type LeafPlan, type PlanInput, placeInOrder } from "./leaf-plan.js";
import { singleSwitchPlan } from "./single-switch.js";

export function fatTreePlan(input: PlanInput): LeafPlan {
  return oneClosPlan(input, (perLeaf, leafOfPort) => {
    const leaves = placeInOrder(input.ports, perLeaf, leafOfPort);
    return { leaves, ...emptyLeafArrays(leaves) };
  });
}

/**
 * Leaves placed by `place` (`perLeaf` ports down each; it fills leafOfPort), all under one Clos of spines
 * and cores: fat-tree and rail-optimized. One tier that fits one switch builds a single switch instead.
 */
export function oneClosPlan(
  input: PlanInput,
  place: (perLeaf: number, leafOfPort: Int32Array) => Pick<LeafPlan, "leaves" | "leafRail" | "leafSu">,
): LeafPlan {
  const { cluster, ports } = input;
  const { radix } = cluster.scaleOut.switch;
  const o = cluster.scaleOut.oversubscription;
  const requested = cluster.scaleOut.tiers;
  if (requested === 1 && ports.count <= radix) return singleSwitchPlan(input);
  const leafOfPort = new Int32Array(ports.count);
  const placed = place(leafDownPorts(radix, 2, o), leafOfPort);
  const size = sizeClos(
    placed.leaves,
    networkTiers(requested, placed.leaves, radix, o, input.warnings),
    radix,
    o,
  );
  input.warnings.push(...closWarnings(size, radix));
  return {
    ...placed,
    leafOfPort,
    networks: placed.leaves ? [{ rail: -1, leaves: allLeaves(placed.leaves), size }] : [],
  };
}

/** The requested tiers (at least 2 once there are several leaves), raised to the fewest that fit. */
export function networkTiers(
  requested: number,
  leaves: number,
  radix: number,
  o: { leaf: number; spine: number },
  warnings: string[],
): 2 | 3 {
  const wanted = requested >= 3 ? 3 : 2;
  const needed = tiersForLeaves(leaves, radix, o);
  if (needed === undefined) {
    throw new WeftError(
      `${leaves} leaves do not fit 3 tiers of ${radix}-port switches; use switches with more ports, more planes or less oversubscription`,
    );
  }
  if (needed > wanted) {
    warnings.push(
      `${requested} tier(s) of ${radix}-port switches cannot connect ${leaves} leaves: built ${needed}`,
    );
    return needed as 3;
  }
  if (requested === 1)
    warnings.push(`1 tier of ${radix}-port switches cannot connect the ports: built ${wanted}`);
  return wanted;
}
