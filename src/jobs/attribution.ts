/**
 * Interference, explained. For job a, its delay is D_a = steps · (step with others − step alone). The
 * network integrated, for every ordered pair (a, b) and link tier τ, the bytes b moved over links of τ
 * while a had a flow on them: M_ab(τ) = Σ_l∈τ ∫ r_b,l(t) · [a on l at t] dt. Job b's share of a's delay is
 * its share of what a met, M_ab / Σ_c M_ac with M_ab = Σ_τ M_ab(τ), and the tiers named for the pair are
 * those carrying at least 10% of M_ab.
 */
import type { JobCause, JobSharedLinks } from "../results/types.js";
import type { Meetings } from "../sim/network/types.js";
import { type Fabric, LINK_TIER_NAMES } from "../topology/fabric.js";

const TIERS = LINK_TIER_NAMES.length;
const TIER_SHARE = 0.1;

export function causesOf(m: Meetings, a: number, names: string[], delayS: number): JobCause[] {
  const T = m.tags;
  const totals = names.map((_, b) => {
    let sum = 0;
    for (let t = 0; t < TIERS; t++) sum += m.met[(a * T + b) * TIERS + t];
    return b === a ? 0 : sum;
  });
  const all = totals.reduce((s, x) => s + x, 0);
  if (all === 0) return [];
  const causes: JobCause[] = [];
  names.forEach((job, b) => {
    if (totals[b] === 0) return;
    const share = totals[b] / all;
    const tiers = LINK_TIER_NAMES.map((tier, t) => ({ tier, bytes: m.met[(a * T + b) * TIERS + t] }))
      .filter((x) => x.bytes >= TIER_SHARE * totals[b])
      .sort((x, y) => y.bytes - x.bytes)
      .map((x) => x.tier);
    causes.push({ job, share, delayS: Math.max(0, delayS) * share, tiers });
  });
  return causes.sort((x, y) => y.share - x.share);
}

export function sharedLinksOf(m: Meetings, fabric: Fabric, a: number, names: string[]): JobSharedLinks[] {
  const T = m.tags;
  const bit = 1 << a;
  const out: JobSharedLinks[] = [];
  for (let t = 0; t < TIERS; t++) {
    let metBytes = 0;
    const withJobs: string[] = [];
    names.forEach((job, b) => {
      const x = b === a ? 0 : m.met[(a * T + b) * TIERS + t];
      if (x > 0) withJobs.push(job);
      metBytes += x;
    });
    if (metBytes === 0) continue;
    let links = 0;
    for (let l = 0; l < fabric.links.count; l++) {
      if (fabric.links.tier[l] === t && m.linkTags[l] & bit && m.linkTags[l] & ~bit) links++;
    }
    out.push({ tier: LINK_TIER_NAMES[t], links, metBytes, withJobs });
  }
  return out.sort((x, y) => y.metBytes - x.metBytes);
}
