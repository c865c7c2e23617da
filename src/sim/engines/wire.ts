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
import { NSCC_CUT_EXCESS, NSCC_DRIFT } from "./sharing.js";

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
   * Sharing by path: how far a window flow's share at a network bottleneck is off, relative, times the
   * square root of its window in packets (driftShare); 0 where the transport paces flows itself (receiver
   * credits).
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
