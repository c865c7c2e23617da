/**
 * How many endpoint ports a Clos fabric of switches with a given radix can take, tier by tier.
 * Oversubscription o (down:up bandwidth at a tier) splits a switch's ports into o/(o+1) down and 1/(o+1) up.
 * Capacities follow the folded-Clos counting of Al-Fares et al. (SIGCOMM'08): with radix k, no
 * oversubscription, 1 tier takes k ports, 2 tiers k²/2, 3 tiers k³/4.
 */

/** Down-facing ports of a switch of this radix at a tier with this oversubscription. */
export function downPorts(radix: number, oversubscription: number): number {
  if (oversubscription <= 0) throw new RangeError(`oversubscription must be > 0, got ${oversubscription}`);
  return Math.floor((radix * oversubscription) / (oversubscription + 1));
}

/** The most endpoint ports (per plane) a fabric of `tiers` tiers can connect. */
export function maxEndpointPorts(
  radix: number,
  tiers: 1 | 2 | 3,
  oversubscription: { leaf: number; spine: number },
): number {
  if (tiers === 1) return radix;
  const leafDown = downPorts(radix, oversubscription.leaf);
  if (tiers === 2) return leafDown * radix;
  const spineDown = downPorts(radix, oversubscription.spine);
  return leafDown * spineDown * radix;
}

/** The fewest tiers (1..3) whose capacity holds `ports` endpoint ports; undefined when even 3 cannot. */
export function fewestTiers(
  ports: number,
  radix: number,
  oversubscription: { leaf: number; spine: number },
): 1 | 2 | 3 | undefined {
  for (const tiers of [1, 2, 3] as const) {
    if (ports <= maxEndpointPorts(radix, tiers, oversubscription)) return tiers;
  }
  return undefined;
}
