/**
 * The receiving side. Ultra Ethernet style (selective): packets are accepted in any order and tracked in a
 * bitmap above the cumulative ack; an ack (64-byte header: cumulative ack, 64-bit SACK bitmap, the PSN that
 * triggered it, ECN echo, bytes received so far, its entropy) goes out at once for the first packet, an
 * ECN-marked one, one that asks for it (AR), a duplicate, or when the reorder gap closes after an AR;
 * otherwise after 16,384 unacked bytes (htsim's sack threshold). A trimmed packet gets a NACK (last-hop flag
 * when trimmed at the final queue). RoCE (go-back-N): only the next expected PSN is accepted; anything above
 * it is dropped and answered by one NACK carrying the expected PSN until the gap fills.
 * DCQCN's notification point sends a CNP for ECN-marked data, at most one per flow per 50 us.
 */
import { pushEvent } from "../../event-queue.js";
import { EV_CNP, eventCode } from "./events.js";
import { nicSendControl } from "./nic.js";
import {
  allocPacket,
  F_AR,
  F_ECN,
  F_ECN_ECHO,
  F_LAST_HOP,
  F_REVERSE,
  F_RTX,
  freePacket,
  PacketKind,
} from "./packets.js";
import { HEADER_BYTES } from "./params.js";
import { routePacket } from "./paths.js";
import { rcccOnData, rcccOnTrimmed } from "./rccc.js";
import type { PacketSim } from "./state.js";

/** A control packet of flow `f` toward its sender, routed with entropy `ev`; -1 if no live path. */
export function makeControl(sim: PacketSim, kind: number, f: number, ev: number): number {
  const p = allocPacket(sim.pool, kind, HEADER_BYTES, f);
  sim.pool.flags[p] = F_REVERSE;
  sim.pool.ev[p] = ev;
  if (!routePacket(sim, p, f, ev, true)) {
    freePacket(sim.pool, p);
    return -1;
  }
  return p;
}

function sendAck(
  sim: PacketSim,
  f: number,
  psn: number,
  ev: number,
  ecn: boolean,
  rtx: boolean,
  exact: boolean,
) {
  const p = makeControl(sim, PacketKind.ack, f, ev);
  if (p < 0) return;
  const flows = sim.flows;
  const pool = sim.pool;
  const expected = flows.expected[f];
  pool.x[p] = expected;
  pool.psn[p] = psn;
  pool.v[p] = flows.rcvBytes[f];
  if (ecn) pool.flags[p] |= F_ECN_ECHO;
  if (rtx) pool.flags[p] |= F_RTX;
  if (flows.oooCount[f] > 0) {
    const base = exact ? psn : Math.max(psn - 63, expected + 1);
    const mask = flows.window[f] - 1;
    const rb = flows.recBase[f];
    let lo = 0;
    let hi = 0;
    const limit = expected + flows.window[f];
    for (let i = 0; i < 64; i++) {
      const q = base + i;
      if (q >= limit) break;
      if (q >= expected && flows.rcvBit[rb + (q & mask)] !== 0) {
        if (i < 32) lo |= 1 << i;
        else hi |= 1 << (i - 32);
      }
    }
    pool.y[p] = base;
    pool.bitsLo[p] = lo;
    pool.bitsHi[p] = hi;
  }
  flows.accepted[f] = 0;
  nicSendControl(sim, p);
}

function sendNack(sim: PacketSim, f: number, psn: number, ev: number, lastHop: boolean, ecn: boolean): void {
  const p = makeControl(sim, PacketKind.nack, f, ev);
  if (p < 0) return;
  const pool = sim.pool;
  pool.psn[p] = psn;
  pool.x[p] = sim.flows.expected[f];
  pool.v[p] = sim.flows.rcvBytes[f];
  if (lastHop) pool.flags[p] |= F_LAST_HOP;
  if (ecn) pool.flags[p] |= F_ECN_ECHO;
  nicSendControl(sim, p);
}

/** Data packet `p` (full or trimmed) reached the receiver of flow `f`. */
export function onData(sim: PacketSim, f: number, p: number, trimmed: boolean): void {
  const flows = sim.flows;
  const pool = sim.pool;
  const psn = pool.psn[p];
  const flags = pool.flags[p];
  const ev = pool.ev[p];
  const ecn = (flags & F_ECN) !== 0;
  const rtx = (flags & F_RTX) !== 0;
  const mask = flows.window[f] - 1;
  const bitIdx = flows.recBase[f] + (psn & mask);
  const duplicate = psn < flows.expected[f] || flows.rcvBit[bitIdx] !== 0;
  if (sim.p.rccc) {
    if (trimmed) rcccOnTrimmed(sim, f);
    else rcccOnData(sim, f, pool.v[p]);
  }
  if (sim.p.dcqcn && ecn && !trimmed) dcqcnNotify(sim, f, ev);
  if (trimmed) {
    if (duplicate) sendAck(sim, f, psn, ev, false, rtx, false);
    else if (sim.p.goBackN) goBackNack(sim, f, ev);
    else sendNack(sim, f, psn, ev, pool.trimHop[p] === pool.hops[p] - 1, ecn);
    return;
  }
  if (duplicate) {
    sendAck(sim, f, psn, ev, ecn, rtx, ecn);
    return;
  }
  if (sim.p.goBackN && psn !== flows.expected[f]) {
    goBackNack(sim, f, ev);
    return;
  }
  let force = flows.gotData[f] === 0;
  flows.gotData[f] = 1;
  const size = pool.size[p];
  flows.rcvBytes[f] += size;
  flows.accepted[f] += size;
  const ar = (flags & F_AR) !== 0;
  if (ar) {
    force = true;
    flows.ackRequest[f] = 1;
  }
  if (psn === flows.expected[f]) {
    let e = psn + 1;
    const rb = flows.recBase[f];
    while (flows.rcvBit[rb + (e & mask)] !== 0 && e < psn + flows.window[f]) {
      flows.rcvBit[rb + (e & mask)] = 0;
      flows.oooCount[f]--;
      e++;
    }
    flows.expected[f] = e;
    flows.nackSent[f] = 0;
    if (flows.oooCount[f] === 0 && flows.ackRequest[f] !== 0) {
      force = true;
      flows.ackRequest[f] = 0;
    }
  } else {
    flows.rcvBit[bitIdx] = 1;
    flows.oooCount[f]++;
  }
  if (ecn || force || flows.accepted[f] >= sim.p.ackBytes) sendAck(sim, f, psn, ev, ecn, rtx, ecn || ar);
}

/** Go-back-N: one NACK with the expected PSN per gap. */
function goBackNack(sim: PacketSim, f: number, ev: number): void {
  const flows = sim.flows;
  if (flows.nackSent[f] !== 0) return;
  flows.nackSent[f] = 1;
  sendNack(sim, f, flows.expected[f], ev, false, false);
}

/** DCQCN notification point: a CNP now, or when the 50 us interval since the last one ends. */
function dcqcnNotify(sim: PacketSim, f: number, ev: number): void {
  const flows = sim.flows;
  const since = sim.now - flows.cnpSentAt[f];
  if (flows.cnpSentAt[f] < 0 || since >= sim.p.cnpIntervalPs) {
    sendCnp(sim, f, ev);
  } else if (flows.cnpPending[f] === 0) {
    flows.cnpPending[f] = 1;
    pushEvent(sim.heap, flows.cnpSentAt[f] + sim.p.cnpIntervalPs, eventCode(EV_CNP, f));
  }
}

function sendCnp(sim: PacketSim, f: number, ev: number): void {
  const flows = sim.flows;
  flows.cnpSentAt[f] = sim.now;
  flows.cnpPending[f] = 0;
  const p = makeControl(sim, PacketKind.cnp, f, ev);
  if (p < 0) return;
  sim.counters.cnps++;
  nicSendControl(sim, p);
}

export function onCnpTimer(sim: PacketSim, f: number): void {
  if (sim.flows.cnpPending[f] !== 0) sendCnp(sim, f, 0);
}
