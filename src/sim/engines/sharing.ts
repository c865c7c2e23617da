/**
 * How window flows share links when a scenario asks for `simulation.sharing: by-path`: what NSCC converges
 * to instead of max-min, as factors on a flow's share of the fill (rate = share × fill level) that the
 * flow engine (flow/window.ts shareByPath) and the fluid network (network/fluid.ts) apply after a max-min
 * fill. A flow held by saturated network links worth k gets
 *
 *   pathShare (1 / k and its round trip) × pathDelayShare (its bursts' waits on the way) × driftShare,
 *
 * the last two only where its own NIC does not pace it. docs/flow-model.md, "Sharing by path", gives each
 * formula with its source and what it was checked against; the two fitted constants are below.
 */
import type { WireModel } from "./wire.js";

/**
 * Sharing by path: whether the congestion control can hold a flow below `rate` — its window at that rate
 * is at least two packets (a decrease at most halves a window, and never below one packet). Under that the
 * sender's round-robin over its flows shares, not the congestion control.
 */
export function windowCanShrink(w: WireModel, rate: number, windowTimeS: number): boolean {
  return rate * windowTimeS >= 2 * w.mtu;
}

/** Window times closer than this (relative) to the network's longest count as equal in pathShare. */
const SAME_WINDOW_TIME = 1e-6;

/**
 * Sharing by path: the share of the fill (rate = share × fill level) of a window flow crossing saturated
 * shared links worth k > 0, whose window covers `windowTimeS` (windowTime). Two factors:
 * - **RTT**: NSCC adds a fixed amount to its window per window acked and cuts it on marked acks, whose
 *   share is set by the queue all flows of a bottleneck cross, so flows hold equal windows there and their
 *   rates go as 1 / window time, as for any additive-increase, multiplicative-decrease window (Mathis et al.,
 *   CCR 1997: rate ∝ 1 / (RTT √p)). Relative to a flow on the network's longest path, which keeps share 1.
 * - **Path**: a flow is held back by every saturated link it crosses (flow/window.ts shareByPath): 1 / k.
 */
export function pathShare(w: WireModel, k: number, windowTimeS: number): number {
  const rtt = (w.rttS + w.queueS) / windowTimeS;
  const byRtt = Math.abs(rtt - 1) <= SAME_WINDOW_TIME ? 1 : rtt;
  return k > 1 ? byRtt / k : byRtt;
}

/**
 * NSCC's drift: a window flow's share at a network bottleneck is off by a relative σ = NSCC_DRIFT / √W, W
 * its window in packets. Fitted once on the packet engine's incasts of 2–16 senders on htsim's k = 8
 * fat-tree, sprayed (test/calibration/nscc-by-path.test.ts; docs/flow-model.md "Drift").
 */
export const NSCC_DRIFT = 0.32;

/**
 * Sharing by path, a window flow held by a network queue (not its own NIC): the factor on its share for
 * its drift. Flows of one bottleneck do not share it evenly: which packets the queue marks is chance, and
 * each mark cuts the window of the flow that carried it, so some flows run ahead and finish early (the
 * mean completion falls; the last finishes where it would, the bottleneck staying busy). In the packet
 * engine the spread goes as 1 / √W (W the flow's window in packets: a window of W packets gathers marks
 * like a count of mean ∝ W) and does not shrink with the flow's length (0.5 to 8 MB), so it is held as a
 * share: exp(σ z − σ² / 2) with σ = drift / √W, z the flow's standard normal deviate (prng.ts
 * spreadNormal). Which flow runs ahead the packet engine decides by chance, so the model carries the
 * spread, not the order. 1 without drift.
 */
export function driftShare(w: WireModel, z: number, rate: number, windowTimeS: number): number {
  if (w.drift === 0 || z === 0) return 1;
  const window = (rate * windowTimeS) / w.mtu;
  const sigma = w.drift / Math.sqrt(window);
  return Math.exp(sigma * z - (sigma * sigma) / 2);
}

/**
 * NSCC's smoothed delay above its target when it cuts, a fraction of the target: fitted once on the packet
 * engine's ECMP incasts of 2–16 senders on htsim's k = 8 fat-tree (test/calibration/nscc-by-path.test.ts;
 * docs/flow-model.md "Delay on the way").
 */
export const NSCC_CUT_EXCESS = 0.068;

/**
 * Mean wait of a window flow's packets at an unsaturated link where other flows' bursts arrive, weighed by
 * the flow's share of the link (`weight`: the fraction of its bytes that cross it), so a route's waits add
 * up to its packets' mean. M/D/1 (Pollaczek–Khinchine with a fixed service time): ρ S / (2 (1 − ρ)), ρ the
 * other flows' load (`othersLoad`, a fraction of `capacity`), S one burst's serialization. A burst is what
 * an ack opens, `burstBytes`, sent at line rate; a flow spread over parallel paths sends each its share of
 * it, which the flow's own weight stands for. Links that every flow crosses with the same weight per
 * capacity give the same total whether they are counted one by one or as one bundle (flow/bundles.ts).
 */
export function burstWait(w: WireModel, othersLoad: number, weight: number, capacity: number): number {
  if (!(othersLoad > 0)) return 0;
  const rho = Math.min(othersLoad, MAX_BURST_LOAD);
  const service = (w.burstBytes * weight) / capacity;
  return (weight * rho * service) / (2 * (1 - rho));
}

/** burstWait's load is held below this: an unsaturated link can still carry load near 1 after rounding. */
const MAX_BURST_LOAD = 0.95;

/**
 * Sharing by path, a window flow held by a network queue whose bursts also wait `delayS` seconds on
 * unsaturated links on the way (burstWait): the factor on its share. NSCC cuts its window on marked acks by
 * γ (avg − target) / avg, avg its smoothed delay, which sits a little above the target (q) at the
 * bottleneck — by ε = cutExcess · q — so a few hundred nanoseconds more on the way cut a window much
 * harder: windows go as 1 / cut, and the factor is the cut without the delay over the cut with it,
 * ((q + ε + d) / (ε + d)) / ((q + ε) / ε). 1 without delay or without cutExcess.
 */
export function pathDelayShare(w: WireModel, delayS: number): number {
  if (!(delayS > 0) || w.cutExcess === 0) return 1;
  const q = w.queueS;
  const eps = w.cutExcess * q;
  return ((q + eps + delayS) / (eps + delayS)) * (eps / (q + eps));
}

/**
 * A window flow's share by path, from what its route shows after the max-min fill: saturated shared links
 * worth k > 0 beyond its sender's own, whether its own NIC is saturated (which paces it: no delay or drift
 * then), its bursts' mean wait `delayS` on the way (burstWait summed), and its normal deviate `z` (0: no
 * drift). The product of the factors above.
 */
export function byPathShare(
  w: WireModel,
  k: number,
  paced: boolean,
  delayS: number,
  windowTimeS: number,
  rate: number,
  z: number,
): number {
  const share = pathShare(w, k, windowTimeS);
  if (paced) return share;
  return share * pathDelayShare(w, delayS) * driftShare(w, z, rate, windowTimeS);
}
