/**
 * `rail-only` (Wang et al., "How to build low-cost networks for large language models (without sacrificing
 * performance)", 2023, arXiv 2307.12169): the rail leaves of a rail-optimized fabric, and per rail its own
 * spines (and cores) over that rail's leaves only — no scale-out link joins two rails, so cross-rail traffic
 * must first cross the scale-up domain. Each rail gets the fewest tiers that hold its leaves: where every
 * rail's ports fit one switch, each rail is one switch with all its ports down; otherwise leaves keep the
 * 2-tier split of down and up ports.
 */
import { WeftError } from "../errors.js";
import { closWarnings, leafDownPorts, sizeClos, tiersForLeaves } from "./clos.js";
import { type LeafPlan, type NetworkPlan, type PlanInput, placeOnRails } from "./leaf-plan.js";

export function railOnlyPlan(input: PlanInput): LeafPlan {
  const { cluster, ports } = input;
  const { radix } = cluster.scaleOut.switch;
  const o = cluster.scaleOut.oversubscription;
  const leafOfPort = new Int32Array(ports.count);
  // A rail whose ports fit one switch is that switch, every port down (Wang et al.'s rail switch); only
  // rails that need several leaves keep uplinks for a tier above.
  let placed = placeOnRails(cluster, ports, radix, leafOfPort);
  let rails = railCount(placed.leafRail);
  if (placed.leaves > rails) {
    placed = placeOnRails(cluster, ports, leafDownPorts(radix, 2, o), leafOfPort);
    rails = railCount(placed.leafRail);
  }
  const networks: NetworkPlan[] = [];
  for (let r = 0; r < rails; r++) {
    const members: number[] = [];
    for (let l = 0; l < placed.leaves; l++) if (placed.leafRail[l] === r) members.push(l);
    const tiers = tiersForLeaves(members.length, radix, o);
    if (tiers === undefined) {
      throw new WeftError(
        `rail ${r} has ${members.length} leaves: more than 3 tiers of ${radix}-port switches hold`,
      );
    }
    const size = sizeClos(members.length, tiers, radix, o);
    if (tiers === 1) size.leafDown = placed.leaves > rails ? leafDownPorts(radix, 2, o) : radix;
    // Every rail is sized alike: its warnings once, for the first.
    if (r === 0) input.warnings.push(...closWarnings(size, radix));
    networks.push({ rail: r, leaves: Int32Array.from(members), size });
  }
  return { ...placed, leafOfPort, networks };
}

function railCount(leafRail: Int16Array): number {
  let rails = 0;
  for (const r of leafRail) rails = Math.max(rails, r + 1);
  return rails;
}
