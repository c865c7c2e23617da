/**
 * Which tier carries, and which link limits, a run: from the bytes each link carried (an engine's
 * `linkBytes`) and the run's duration. A link's utilization is bytes / (bandwidth × duration): 1 means it
 * was busy the whole run.
 */
import { WeftError } from "../errors.js";
import { type Fabric, LINK_TIER_NAMES } from "../topology/fabric.js";

export interface TierUsage {
  /** Link tier name: host, scaleUp, leaf, spine, core. */
  tier: (typeof LINK_TIER_NAMES)[number];
  /** Directed links of this tier. */
  links: number;
  bytes: number;
  /** Mean utilization over the tier's links. */
  meanUtilization: number;
  maxUtilization: number;
  /** Link id of the busiest link, -1 when the tier carried nothing. */
  busiestLink: number;
}

export function tierUsage(fabric: Fabric, linkBytes: Float64Array, durationS: number): TierUsage[] {
  if (linkBytes.length !== fabric.links.count) {
    throw new WeftError(
      `linkBytes has ${linkBytes.length} entries, expected one per link (${fabric.links.count})`,
    );
  }
  if (!(durationS > 0)) throw new WeftError(`duration must be > 0 s, got ${durationS}`);
  const usage: TierUsage[] = LINK_TIER_NAMES.map((tier) => ({
    tier,
    links: 0,
    bytes: 0,
    meanUtilization: 0,
    maxUtilization: 0,
    busiestLink: -1,
  }));
  const { tier, bandwidth } = fabric.links;
  for (let l = 0; l < fabric.links.count; l++) {
    const u = usage[tier[l]];
    const util = linkBytes[l] / (bandwidth[l] * durationS);
    u.links++;
    u.bytes += linkBytes[l];
    u.meanUtilization += util;
    if (linkBytes[l] > 0 && util > u.maxUtilization) {
      u.maxUtilization = util;
      u.busiestLink = l;
    }
  }
  for (const u of usage) if (u.links > 0) u.meanUtilization /= u.links;
  return usage.filter((u) => u.links > 0);
}
