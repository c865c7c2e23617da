/**
 * What a window transport (NSCC: wire.ts, sharing.ts) changes in the flow engine's refills, beyond the
 * window caps the filling takes as private caps: completions that only lift caps (raiseFreed), and sharing
 * by path (shareByPath, with `sharing: "by-path"`).
 */
import { burstWait, byPathShare, windowCanShrink } from "../sharing.js";
import { CONTENDED } from "../wire.js";
import { scheduleCompletion } from "./completion-heap.js";
import { contended } from "./max-min.js";
import type { FlowSimState } from "./state.js";
import { type RateTrace, recordRate } from "./trace.js";

/**
 * Window transports, after completions alone, when every flow left on the freed links runs at its private
 * cap (its window cap, or a link only it uses): the refill — global under spraying — is skipped. A flow can
 * then only move if it lost its window cap, which happens only on a link that stopped being contended in this
 * event, so only those links' flows are looked at. When no active flow is bounded by a shared link, such a
 * flow rises to its rate alone and nothing else moves: every link it crosses is uncontended now, so all that
 * link's flows fit on it each at its rate alone (demand < capacity), and the refill would freeze the flow at
 * the cap of the link only it uses that bounds it (a shared link bounding it alone would be contended).
 *
 * Returns how many flows rose, or −1 when a refill is needed (a flow bounded by a shared link, a class
 * member, or a flow whose tightest link is not its own).
 */
export function raiseFreed(s: FlowSimState, t: number, step: number, trace: RateTrace | undefined): number {
  const { linkStart, linkActive, linkInc, incFlow, rate, privateCap, windowCap, checkMark, epoch } = s;
  // With no flow bounded by a shared link, every active flow is at its private cap: no need to look.
  const allCapped = s.sharedBoundCount === 0;
  let risers = 0;
  for (let i = 0; i < s.compLinkCount; i++) {
    const l = s.compLinks[i];
    const flipped = s.wasContended[l] === 1 && !contended(s, l);
    if (!flipped && allCapped) continue;
    for (let slot = linkStart[l]; slot < linkStart[l] + linkActive[l]; slot++) {
      const f = incFlow[linkInc[slot]];
      if (!allCapped && rate[f] !== privateCap[f]) return -1;
      if (!flipped || checkMark[f] === epoch || rate[f] !== windowCap[f]) continue;
      checkMark[f] = epoch;
      const own = ownCapUncontended(s, f);
      if (own < 0) continue; // still crosses a contended link: keeps its window cap
      if (!allCapped || s.classOf[f] >= 0 || own !== s.routes.bottleneck[f]) return -1;
      s.risers[risers++] = f;
    }
  }
  for (let i = 0; i < risers; i++) raise(s, s.risers[i], t, step, trace);
  return risers;
}

/**
 * −1 when flow f crosses a contended link; otherwise min over the links it alone uses of capacity / weight,
 * as the refill computes a private cap.
 */
function ownCapUncontended(s: FlowSimState, f: number): number {
  const { routes, linkActive, capacity } = s;
  let cap = Number.POSITIVE_INFINITY;
  for (let e = routes.start[f]; e < routes.start[f + 1]; e++) {
    const l = routes.link[e];
    if (contended(s, l)) return -1;
    if (linkActive[l] === 1 && capacity[l] / routes.weight[e] < cap) cap = capacity[l] / routes.weight[e];
  }
  return cap;
}

/** Flow f moves at its rate alone from t on (its bytes brought up to t at the old rate, as a refill does). */
function raise(s: FlowSimState, f: number, t: number, step: number, trace: RateTrace | undefined): void {
  const r = s.routes.bottleneck[f];
  s.remaining[f] = Math.max(s.remaining[f] - s.rate[f] * (t - s.since[f]), 0);
  s.since[f] = t;
  s.rate[f] = r;
  s.privateCap[f] = r;
  scheduleCompletion(s.completions, f, t + s.remaining[f] / r);
  if (trace) recordRate(trace, step, t, f, r);
}

/**
 * Window transports share a bottleneck by path, not max-min: a delay-based window transport converges to
 * (weighted) proportional fairness, a rate inversely proportional to the congestion summed over its path
 * (Low, Peterson & Wang, "Understanding Vegas", J. ACM 2002), so a flow is held back by every congested
 * link it crosses, not only its tightest; and the flows of a bottleneck hold equal windows, so a shorter
 * round trip moves more. After a max-min fill, a flow of the component crossing saturated shared links
 * worth k > 0 (each link by the flow's weight on it; its sender's own links do not count) gets the share
 * sharing.ts gives — pathShare (1 / k, exact proportional fairness on a line of links, and its RTT
 * factor), and unless its own NIC is saturated, which paces it, pathDelayShare (its bursts' waits on
 * shared links short of saturation) and driftShare — and the component is filled again. Returns whether
 * any share changed (a component where no flow is bounded by a shared link keeps its fill: no share
 * matters there).
 */
export function shareByPath(s: FlowSimState): boolean {
  const { compFlows, compLinks, rate, privateCap, routes, load, capacity, linkActive, share, wire } = s;
  let bounded = false;
  for (let i = 0; i < s.compFlowCount && !bounded; i++)
    bounded = rate[compFlows[i]] !== privateCap[compFlows[i]];
  if (!bounded || !wire) return false;
  const saturated = s.saturated;
  for (let i = 0; i < s.compLinkCount; i++) {
    const l = compLinks[i];
    saturated[l] = linkActive[l] > 1 && load[l] >= capacity[l] * CONTENDED ? 1 : 0;
  }
  let changed = false;
  for (let i = 0; i < s.compFlowCount; i++) {
    const f = compFlows[i];
    if (s.classOf[f] >= 0) continue; // a class keeps one rate
    if (!windowCanShrink(wire, rate[f], s.windowTime[f])) continue;
    // The sender's own links carry no queue of the network: its NIC shares them round-robin, and a NIC
    // that its own flows saturate paces them (no drift, no bursts). Shared links short of saturation delay
    // its bursts.
    let k = 0;
    let paced = false;
    let delay = 0;
    for (let e = routes.start[f]; e < routes.start[f + 1]; e++) {
      const l = routes.link[e];
      const own = s.linkFrom[l] === s.flows.src[f];
      if (saturated[l]) {
        if (own) paced = true;
        else k += routes.weight[e];
      } else if (!own && linkActive[l] > 1) {
        const w = routes.weight[e];
        delay += burstWait(wire, (load[l] - w * rate[f]) / capacity[l], w, capacity[l]);
      }
    }
    if (k === 0) continue;
    const z = s.driftZ.length > 0 ? s.driftZ[f] : 0;
    const sh = byPathShare(wire, k, paced, delay, s.windowTime[f], rate[f], z);
    if (sh !== 1) {
      share[f] = sh;
      changed = true;
    }
  }
  return changed;
}
