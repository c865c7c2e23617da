/**
 * What a fluid flow costs on the wire besides its payload, derived from the transport: the flow engine and
 * the fluid network use it to finish flows where a packet transport would, not at line rate plus latency.
 *
 * - **Headers**: a payload of S bytes travels as n = ⌈S / (mtu − header)⌉ packets of at most `mtu` bytes,
 *   each with a `header`-byte header, so the wire carries S + n · header bytes (goodput (mtu − header) / mtu
 *   for large flows: 98.5% at htsim's 4,150-byte packets with 64-byte headers).
 * - **The last packet's store-and-forward**: the fluid transfer ends when the last byte passes the flow's
 *   bottleneck; a store-and-forward switch then still serializes the last packet on every other hop.
 * - **The ack's way back** (`ackReturn`): a transport knows a flow is complete when the ack of its last
 *   packet comes back — one route latency and a header's serialization per hop after the data lands. This
 *   is the completion time the packet engine and htsim report.
 *
 * - **The window under a standing queue** (window transports: NSCC): a flow keeps at most `maxwnd` = 1.5 ×
 *   the network's unloaded RTT × its NIC rate in flight, and NSCC holds the queueing delay of a contended
 *   path near its target delay (0.75 × RTT with trimming, 1 × RTT without). A flow on a contended link
 *   therefore moves at most maxwnd / (its RTT + target): 1.5 / 1.75 = 86% of line rate on the longest
 *   paths. A link is contended when its flows, each at the rate it reaches alone, would overfill it and
 *   more than one flow shares it; a flow alone on its path keeps line rate. The cap only binds where the
 *   fair share is close to line rate (a sprayed permutation); in an incast or an all-to-all the share is far
 *   below it.
 *
 * The transports here start at their full window or line rate (NSCC and `none` at maxwnd, RCCC with maxwnd
 * of speculative credit, DCQCN at line rate), so the first RTT costs no rate: what it costs is the ack's
 * way back. Without a wire model a flow is the ideal fluid transfer.
 */
import type { Router } from "../../routing/types.js";
import type { Fabric } from "../../topology/fabric.js";
import { ACK_BYTES, type CongestionControl, HEADER_BYTES } from "./packet/params.js";
import { fabricScale } from "./packet/setup.js";

export interface WireModel {
  /** Bytes on the wire per full packet, header included (the transport's mtu). */
  mtu: number;
  /** Header bytes of every packet; an ack is one header. */
  header: number;
  /** A flow finishes when the sender holds the ack of its last packet, not when the last byte lands. */
  ackReturn: boolean;
  /** Window transports: seconds of its NIC's rate a flow keeps in flight (1.5 × network RTT); 0: no window. */
  windowS: number;
  /** The network's largest unloaded RTT, seconds (what the window and the target delay scale from). */
  rttS: number;
  /** The queueing delay the congestion control holds on a contended path, seconds (NSCC's target). */
  queueS: number;
  /**
   * Window transports: how flows share contended links — max-min, or by path (a flow's share depends on
   * its whole path: the saturated shared links it crosses and its round-trip time, pathShare below;
   * flow/window.ts shareByPath). Ignored without a window.
   */
  sharing: "max-min" | "by-path";
  /**
   * Sharing by path: how far a window flow's progress wanders from its share at a network bottleneck,
   * packets per √(round trip) (driftShare); 0 where the transport paces flows itself (receiver credits).
   */
  drift: number;
  /**
   * Sharing by path: how far above the target delay a window flow's smoothed delay sits when it cuts its
   * window, as a fraction of the target (pathDelayShare); 0: no account of delay on unsaturated links.
   */
  cutExcess: number;
  /** Bytes a sender sends back to back when an ack opens its window (the receiver's ack coalescing). */
  burstBytes: number;
}

/** The transport options the wire model reads. */
export interface WireTransport {
  mtu: number;
  congestionControl: CongestionControl;
  trimming: boolean;
}

/**
 * The wire model of a transport. `ackReturn`: report completions as the sender sees them (flow completion
 * times, as the packet engine reports them); false where the receiver's data is what counts (a collective
 * step waits for the data, not for the ack).
 */
export function wireModelFor(
  transport: WireTransport,
  fabric: Fabric,
  router: Router,
  ackReturn: boolean,
  sharing: WireModel["sharing"] = "max-min",
): WireModel {
  const cc = transport.congestionControl;
  const windowed = cc === "nscc" || cc === "nscc+rccc";
  // The network's largest unloaded RTT, as the packet engine scales NSCC from it (htsim's
  // network_max_unloaded_rtt); maxwnd and the target delay as the packet engine sets them (params.ts).
  const rttS = fabricScale(fabric, router, transport.mtu).rttPs / 1e12;
  return {
    mtu: transport.mtu,
    header: HEADER_BYTES,
    ackReturn,
    windowS: windowed ? 1.5 * rttS : 0,
    rttS,
    queueS: windowed ? (transport.trimming ? 0.75 : 1) * rttS : 0,
    sharing,
    drift: cc === "nscc" ? NSCC_DRIFT : 0,
    cutExcess: cc === "nscc" ? NSCC_CUT_EXCESS : 0,
    burstBytes: Math.ceil(ACK_BYTES / transport.mtu) * transport.mtu,
  };
}

/**
 * A link is contended when more than one flow shares it and its flows, each at its rate alone, would fill
 * it: demand ≥ capacity × CONTENDED (the factor forgives rounding in the sum).
 */
export const CONTENDED = 1 - 1e-9;

/**
 * The most a flow moves while it crosses a contended link: its window over its RTT plus the standing
 * queue. `rate` is the flow's rate alone (its NIC's, on a host-limited route), `rttS` its unloaded RTT.
 * +Infinity without a window.
 */
export function windowCap(w: WireModel, rate: number, rttS: number): number {
  return w.windowS > 0 ? (w.windowS * rate) / (rttS + w.queueS) : Number.POSITIVE_INFINITY;
}

// A route, as the wire model sees it, is two sums over its links, each link weighed by the flow's share of
// it (for a spread flow, means over its paths): `latencyS` = Σ share × latency, and `perByteS` = Σ share /
// bandwidth, the seconds one byte spends being serialized over the whole route.

/** A flow's unloaded RTT: its latency both ways, a full packet out on every hop and a header back. */
export function routeRtt(w: WireModel, latencyS: number, perByteS: number): number {
  return 2 * latencyS + (w.mtu + w.header) * perByteS;
}

/** What a window transport's window covers on a contended path: the unloaded RTT plus the standing queue. */
export function windowTime(w: WireModel, latencyS: number, perByteS: number): number {
  return routeRtt(w, latencyS, perByteS) + w.queueS;
}

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
 * NSCC's drift, packets per √(round trip): fitted once on the packet engine's incasts of 2–16 senders on
 * htsim's k = 8 fat-tree, sprayed (test/calibration/nscc-by-path.test.ts; docs/flow-model.md "Drift").
 */
export const NSCC_DRIFT = 7;

/**
 * Sharing by path, a window flow held by a network queue (not its own NIC): the factor on its share for
 * its drift. Flows of one bottleneck do not keep equal windows round by round: marks and acks move a window
 * in whole packets, so a flow's progress wanders around its share like a random walk, by `drift` packets per
 * √(round trip), and flows of one bottleneck finish spread out (their mean completion earlier, the last
 * one where it was). After n = P / W round trips (P packets at W in flight) the walk is off by drift · √n
 * packets, σ = drift / √(W · P) of the flow; the model moves the flow at that deviation all along:
 * exp(σ z − σ² / 2), z the flow's standard normal deviate (prng.ts spreadNormal). 1 without drift.
 */
export function driftShare(
  w: WireModel,
  z: number,
  rate: number,
  windowTimeS: number,
  bytes: number,
): number {
  if (w.drift === 0 || z === 0) return 1;
  const window = (rate * windowTimeS) / w.mtu;
  const packets = bytes / segmentBytes(w);
  const sigma = w.drift / Math.sqrt(window * packets);
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

/** Payload bytes per full packet. */
function segmentBytes(w: WireModel): number {
  return w.mtu - w.header;
}

/** Bytes on the wire for a payload of `bytes`: one header per packet. */
export function wireBytes(w: WireModel, bytes: number): number {
  return bytes + Math.ceil(bytes / segmentBytes(w)) * w.header;
}

/** Wire size of the last packet of a payload of `bytes` (> 0). */
function lastPacketBytes(w: WireModel, bytes: number): number {
  const mss = segmentBytes(w);
  return bytes - (Math.ceil(bytes / mss) - 1) * mss + w.header;
}

/**
 * Seconds from the end of a flow's fluid transfer to its finish, besides the route latency: the last
 * packet's serialization on every hop but the bottleneck, and with `ackReturn` the ack's return (the
 * route's latency again — fabrics route symmetrically — and one header serialized per hop). The route's
 * sums as above; `bottleneck` is the flow's rate alone (bytes/s).
 */
export function tailDelay(
  w: WireModel,
  bytes: number,
  latencyS: number,
  perByteS: number,
  bottleneck: number,
): number {
  if (perByteS === 0 || !(bytes > 0)) return 0;
  const packet = lastPacketBytes(w, bytes);
  // The bottleneck's share of the last packet is already in the fluid transfer.
  const delay = Math.max(0, packet * perByteS - packet / bottleneck);
  return w.ackReturn ? delay + latencyS + w.header * perByteS : delay;
}
