/**
 * The sending side of a reliable connection: PSNs, send records, acks (cumulative + 64-bit selective
 * bitmap), NACKs, retransmission queue and timer. Congestion control plugs in through nscc.ts (window),
 * rccc.ts (receiver credits) and dcqcn.ts (rate). RoCE (DCQCN) recovers go-back-N: a NACK or a timeout
 * resends everything from the first missing PSN; the Ultra Ethernet transports resend only what is missing.
 *
 * Send records live in a ring of `window` entries per flow, indexed by PSN; a flow never has more than
 * window − 1 PSNs between its cumulative ack and its next new PSN (the connection's reorder window).
 */

import { pushEvent } from "../../event-queue.js";
import { dcqcnCanSendAt, dcqcnOnSend } from "./dcqcn.js";
import { EV_RTO, EV_WAKE, eventCode } from "./events.js";
import { entropyFeedback, nextEntropy, PENALTY_ECN, PENALTY_NACK } from "./multipath.js";
import { flowKick } from "./nic.js";
import { nsccOnAck, nsccOnNack, nsccOnTimeout, nsccUpdateBaseRtt, nsccUpdateDelay } from "./nscc.js";
import { allocPacket, F_AR, F_ECN_ECHO, F_LAST_HOP, F_RTX, freePacket, PacketKind } from "./packets.js";
import { routePacket } from "./paths.js";
import { rcccPullTarget, rcccStopSpeculating } from "./rccc.js";
import type { PacketSim } from "./state.js";

function windowed(sim: PacketSim): boolean {
  return sim.p.nscc || sim.p.cc === "none";
}

function nextSize(sim: PacketSim, f: number): number {
  const flows = sim.flows;
  if (flows.rtxCount[f] > 0)
    return flows.recSize[flows.recBase[f] + (firstRtx(sim, f) & (flows.window[f] - 1))];
  const b = flows.backlog[f];
  if (b <= 0) return 0;
  if (flows.nextPsn[f] - flows.cumAck[f] >= flows.window[f] - 1) return 0;
  return Math.min(b, sim.p.mtu);
}

function firstRtx(sim: PacketSim, f: number): number {
  const flows = sim.flows;
  const mask = flows.window[f] - 1;
  const base = flows.recBase[f];
  for (let psn = flows.cumAck[f], end = flows.nextPsn[f]; psn < end; psn++) {
    if (flows.recState[base + (psn & mask)] === 2) return psn;
  }
  throw new Error(`packet engine: flow ${f} counts retransmissions but has none queued`);
}

/** Whether flow `f` may put a packet on the wire now (window, credit, rate). */
export function flowCanSend(sim: PacketSim, f: number): boolean {
  const flows = sim.flows;
  if (flows.status[f] !== 1) return false;
  const size = nextSize(sim, f);
  if (size <= 0) return false;
  if (windowed(sim) && flows.cwnd[f] < flows.inFlight[f] + size) return false;
  if (sim.p.rccc && flows.credit[f] <= 0) return false;
  if (sim.p.dcqcn && !readyAt(sim, f, dcqcnCanSendAt(sim, f))) return false;
  if (flows.capPsPerByte[f] > 0 && !readyAt(sim, f, flows.capNextPs[f])) return false;
  return true;
}

/** True when `at` has come; otherwise the flow wakes then (one wake per flow and time). */
function readyAt(sim: PacketSim, f: number, at: number): boolean {
  if (at <= sim.now) return true;
  const flows = sim.flows;
  if (flows.wakeAt[f] !== at) {
    flows.wakeAt[f] = at;
    pushEvent(sim.heap, at, eventCode(EV_WAKE, f));
  }
  return false;
}

/** Builds flow `f`'s next packet (a retransmission first); -1 when it may not send after all. */
export function makeDataPacket(sim: PacketSim, f: number): number {
  if (!flowCanSend(sim, f)) return -1;
  const flows = sim.flows;
  const mask = flows.window[f] - 1;
  let psn: number;
  let size: number;
  const rtx = flows.rtxCount[f] > 0;
  if (rtx) {
    psn = firstRtx(sim, f);
    size = flows.recSize[flows.recBase[f] + (psn & mask)];
    flows.rtxCount[f]--;
  } else {
    psn = flows.nextPsn[f]++;
    size = Math.min(sim.p.mtu, flows.backlog[f]);
    flows.backlog[f] -= size;
  }
  const idx = flows.recBase[f] + (psn & mask);
  flows.recState[idx] = 1;
  flows.recSendPs[idx] = sim.now;
  flows.recSize[idx] = size;
  flows.recTx[idx] = rtx ? Math.min(flows.recTx[idx] + 1, 255) : 0;
  flows.inFlight[f] += size;

  const p = allocPacket(sim.pool, PacketKind.data, size, f);
  const pool = sim.pool;
  pool.psn[p] = psn;
  const ev = nextEntropy(sim, f);
  pool.ev[p] = ev;
  if (!routePacket(sim, p, f, ev, false)) {
    freePacket(pool, p);
    unroutable(sim, f);
    return -1;
  }
  if (rtx) {
    pool.flags[p] = F_RTX | F_AR;
    sim.counters.retransmissions++;
  } else {
    sim.counters.dataPackets++;
    if (
      flows.backlog[f] === 0 ||
      (sim.p.rccc && flows.credit[f] - size <= 0) ||
      (windowed(sim) && flows.inFlight[f] + size >= flows.cwnd[f])
    ) {
      pool.flags[p] = F_AR;
    }
  }
  if (sim.p.rccc) {
    flows.credit[f] -= size;
    pool.v[p] = rcccPullTarget(sim, f);
  }
  if (sim.p.dcqcn) dcqcnOnSend(sim, f, size);
  // A capped flow is paced: its next packet leaves no sooner than this one's bytes at the cap allow.
  if (flows.capPsPerByte[f] > 0) flows.capNextPs[f] = sim.now + Math.round(size * flows.capPsPerByte[f]);
  startRto(sim, f);
  return p;
}

function startRto(sim: PacketSim, f: number): void {
  const flows = sim.flows;
  if (flows.rtoAt[f] !== 0) return;
  const at = sim.now + sim.p.minRtoPs;
  flows.rtoAt[f] = at;
  pushEvent(sim.heap, at, eventCode(EV_RTO, f));
}

/** The packet with this PSN is known received: it leaves the flight or the retransmission queue. */
function settle(sim: PacketSim, f: number, psn: number): void {
  const flows = sim.flows;
  const idx = flows.recBase[f] + (psn & (flows.window[f] - 1));
  const st = flows.recState[idx];
  if (st === 1) flows.inFlight[f] -= flows.recSize[idx];
  else if (st === 2) flows.rtxCount[f]--;
  flows.recState[idx] = 0;
}

function advanceCumAck(sim: PacketSim, f: number, cum: number): void {
  const flows = sim.flows;
  for (let psn = flows.cumAck[f]; psn < cum; psn++) settle(sim, f, psn);
  if (cum > flows.cumAck[f]) flows.cumAck[f] = cum;
}

/** Ack `p` for flow `f`: cumulative + selective acks, an RTT sample, window and path feedback. */
export function onAck(sim: PacketSim, f: number, p: number): void {
  const flows = sim.flows;
  const pool = sim.pool;
  if (flows.status[f] !== 1) return;
  const recvd = pool.v[p];
  let newly = 0;
  if (recvd > flows.lastRecvd[f]) {
    newly = recvd - flows.lastRecvd[f];
    flows.lastRecvd[f] = recvd;
    flows.achieved[f] += newly;
    flows.receivedBytes[f] += newly;
    flows.bytesIgnored[f] += newly;
  }
  const ecn = (pool.flags[p] & F_ECN_ECHO) !== 0;
  const acked = pool.psn[p];
  let delay = flows.avgDelay[f];
  if (sim.p.nscc) {
    const mask = flows.window[f] - 1;
    const idx = flows.recBase[f] + (acked & mask);
    const rtxEcho = (pool.flags[p] & F_RTX) !== 0;
    const tx = flows.recTx[idx];
    if (
      acked >= flows.cumAck[f] &&
      acked < flows.nextPsn[f] &&
      flows.recState[idx] === 1 &&
      ((tx === 0 && !rtxEcho) || (tx === 1 && rtxEcho))
    ) {
      const raw = sim.now - flows.recSendPs[idx];
      nsccUpdateBaseRtt(sim, f, raw);
      if (raw >= flows.baseRtt[f]) {
        nsccUpdateDelay(sim, f, raw, ecn);
        delay = raw - flows.baseRtt[f];
      }
    }
  }
  advanceCumAck(sim, f, pool.x[p]);
  const lo = pool.bitsLo[p];
  const hi = pool.bitsHi[p];
  if (lo !== 0 || hi !== 0) {
    const base = pool.y[p];
    const cum = flows.cumAck[f];
    const end = flows.nextPsn[f];
    for (let i = 0; i < 64; i++) {
      const bit = i < 32 ? (lo >>> i) & 1 : (hi >>> (i - 32)) & 1;
      const psn = base + i;
      if (bit !== 0 && psn >= cum && psn < end) settle(sim, f, psn);
    }
  }
  entropyFeedback(sim, f, pool.ev[p], ecn ? PENALTY_ECN : 0);
  if (sim.p.nscc) nsccOnAck(sim, f, ecn, delay, newly);
  if (sim.p.rccc) rcccStopSpeculating(sim, f);
  if (flows.cumAck[f] >= flows.totalPackets[f]) {
    finishFlow(sim, f);
    return;
  }
  flowKick(sim, f);
}

/** NACK `p`: the packet was trimmed (selective: resend it) or a gap was seen (go-back-N: resend from it). */
export function onNack(sim: PacketSim, f: number, p: number): void {
  const flows = sim.flows;
  const pool = sim.pool;
  if (flows.status[f] !== 1) return;
  sim.counters.nacks++;
  if (sim.p.rccc) rcccStopSpeculating(sim, f);
  if (sim.p.goBackN) {
    const from = pool.x[p];
    advanceCumAck(sim, f, from);
    queueInFlightFrom(sim, f, from);
  } else {
    const psn = pool.psn[p];
    const mask = flows.window[f] - 1;
    const idx = flows.recBase[f] + (psn & mask);
    if (psn < flows.cumAck[f] || psn >= flows.nextPsn[f] || flows.recState[idx] !== 1) return;
    const size = flows.recSize[idx];
    if (sim.p.nscc) {
      nsccUpdateBaseRtt(sim, f, sim.now - flows.recSendPs[idx]);
      nsccOnNack(sim, f, size, (pool.flags[p] & F_LAST_HOP) !== 0);
    }
    queueForRtx(sim, f, idx);
    const lastHop = (pool.flags[p] & F_LAST_HOP) !== 0;
    const penalty = lastHop ? ((pool.flags[p] & F_ECN_ECHO) !== 0 ? PENALTY_ECN : 0) : PENALTY_NACK;
    entropyFeedback(sim, f, pool.ev[p], penalty);
  }
  keepTimer(sim, f);
  flowKick(sim, f);
}

function queueForRtx(sim: PacketSim, f: number, idx: number): void {
  const flows = sim.flows;
  flows.recState[idx] = 2;
  flows.inFlight[f] -= flows.recSize[idx];
  flows.rtxCount[f]++;
}

function queueInFlightFrom(sim: PacketSim, f: number, from: number): void {
  const flows = sim.flows;
  const mask = flows.window[f] - 1;
  const base = flows.recBase[f];
  for (let psn = Math.max(from, flows.cumAck[f]), end = flows.nextPsn[f]; psn < end; psn++) {
    const idx = base + (psn & mask);
    if (flows.recState[idx] === 1) queueForRtx(sim, f, idx);
  }
}

/** A flow waiting to retransmit keeps a timer, so a lost credit or window can never stall it for good. */
function keepTimer(sim: PacketSim, f: number): void {
  if (sim.flows.rtxCount[f] > 0) startRto(sim, f);
}

/**
 * The retransmission timer fired: every packet in flight longer than the minimum RTO is presumed lost and
 * queued for retransmission (go-back-N: everything in flight); the timer re-arms on the oldest still in
 * flight. A flow left with retransmissions but no credit gets one packet's worth (standing in for the
 * request-to-send a credit-based sender issues).
 */
export function onRto(sim: PacketSim, f: number, at: number): void {
  const flows = sim.flows;
  if (flows.status[f] !== 1 || flows.rtoAt[f] !== at) return;
  flows.rtoAt[f] = 0;
  const mask = flows.window[f] - 1;
  const base = flows.recBase[f];
  const rto = sim.p.minRtoPs;
  let oldest = Number.POSITIVE_INFINITY;
  let expired = false;
  for (let psn = flows.cumAck[f], end = flows.nextPsn[f]; psn < end; psn++) {
    const idx = base + (psn & mask);
    if (flows.recState[idx] !== 1) continue;
    const sent = flows.recSendPs[idx];
    if (sent + rto <= sim.now) {
      expired = true;
      sim.counters.timeouts++;
      if (sim.p.goBackN) {
        queueInFlightFrom(sim, f, psn);
        break;
      }
      if (sim.p.nscc) nsccOnTimeout(sim, f, flows.recSize[idx]);
      queueForRtx(sim, f, idx);
    } else if (sent < oldest) {
      oldest = sent;
    }
  }
  if (oldest < Number.POSITIVE_INFINITY && !(expired && sim.p.goBackN)) {
    flows.rtoAt[f] = oldest + rto;
    pushEvent(sim.heap, oldest + rto, eventCode(EV_RTO, f));
  }
  if (flows.rtxCount[f] > 0) {
    if (sim.p.rccc && flows.credit[f] <= 0) flows.credit[f] = sim.p.mtu;
    keepTimer(sim, f);
  }
  flowKick(sim, f);
}

function finishFlow(sim: PacketSim, f: number): void {
  const flows = sim.flows;
  flows.status[f] = 2;
  flows.finishPs[f] = sim.now;
  flows.rtoAt[f] = 0;
  sim.done++;
  sim.onFlowDone?.(f);
}

/** No live path between the flow's ends: it can never finish. */
export function unroutable(sim: PacketSim, f: number): void {
  const flows = sim.flows;
  if (flows.status[f] === 3 || flows.status[f] === 2) return;
  flows.status[f] = 3;
  flows.finishPs[f] = Number.POSITIVE_INFINITY;
  sim.done++;
  sim.onFlowDone?.(f);
}

/** Flow `f` starts: everything is backlog; a flow of 0 bytes finishes at once. */
export function startFlow(sim: PacketSim, f: number): void {
  const flows = sim.flows;
  flows.status[f] = 1;
  if (flows.port[f] < 0) {
    unroutable(sim, f);
    return;
  }
  if (flows.totalPackets[f] === 0) {
    finishFlow(sim, f);
    return;
  }
  flowKick(sim, f);
}
