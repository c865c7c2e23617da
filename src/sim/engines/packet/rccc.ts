/**
 * RCCC, the Ultra Ethernet receiver credit congestion control (UEC 1.0), as htsim's UEC model runs it. The
 * sender may send only against credit. It starts with one maximum window (1.5 × BDP) of speculative credit,
 * dropped at the first feedback; from then on the receiver grants credit. Each data packet carries the
 * sender's pull target: the cumulative credit it wants, i.e. what it has left to send (capped by its window
 * when NSCC is on too, and by 1.5 × BDP), less the credit it holds, shared among the flows waiting at its NIC.
 * The receiver's pacer grants at 99% of its line rate, round-robin over its flows below target, 4 MSS
 * (rounded down to 256-byte quanta) per grant. A trim adds one packet to the target (its retransmission).
 */
import { pushEvent } from "../../event-queue.js";
import { EV_PACER, eventCode } from "./events.js";
import { flowKick, nicSendControl } from "./nic.js";
import { PacketKind } from "./packets.js";
import { makeControl } from "./receiver.js";
import type { PacketSim } from "./state.js";

export function rcccInit(sim: PacketSim, f: number): void {
  const flows = sim.flows;
  flows.credit[f] = flows.maxwnd[f];
  flows.speculating[f] = 1;
}

export function rcccStopSpeculating(sim: PacketSim, f: number): void {
  const flows = sim.flows;
  if (flows.speculating[f] === 0) return;
  flows.speculating[f] = 0;
  if (flows.credit[f] > 0) flows.credit[f] = 0;
}

/** The cumulative credit the sender asks for, stamped on each data packet. */
export function rcccPullTarget(sim: PacketSim, f: number): number {
  const flows = sim.flows;
  const mtu = sim.p.mtu;
  const mask = flows.window[f] - 1;
  let rtxBytes = 0;
  if (flows.rtxCount[f] > 0) {
    const base = flows.recBase[f];
    for (let psn = flows.cumAck[f]; psn < flows.nextPsn[f]; psn++) {
      if (flows.recState[base + (psn & mask)] === 2) rtxBytes += flows.recSize[base + (psn & mask)];
    }
  }
  let target = flows.backlog[f] + rtxBytes;
  if (sim.p.nscc && target > flows.cwnd[f] + mtu) target = flows.cwnd[f] + mtu;
  if (target > flows.maxwnd[f]) target = flows.maxwnd[f];
  target -= flows.credit[f];
  if (flows.speculating[f] !== 0 && target < mtu && flows.backlog[f] > 0) target = mtu;
  const active = sim.nic.active[flows.port[f]];
  if (active > 1) target /= active;
  return Math.ceil((target + flows.pullSeen[f]) / 256) * 256;
}

export function rcccOnCredit(sim: PacketSim, f: number, pulled: number): void {
  const flows = sim.flows;
  rcccStopSpeculating(sim, f);
  if (pulled > flows.pullSeen[f]) {
    flows.credit[f] = Math.min(flows.credit[f] + pulled - flows.pullSeen[f], flows.maxwnd[f]);
    flows.pullSeen[f] = pulled;
  }
  flowKick(sim, f);
}

/** Receiver: data arrived carrying pull target `target`. */
export function rcccOnData(sim: PacketSim, f: number, target: number): void {
  const flows = sim.flows;
  if (target > flows.highestPull[f]) {
    flows.highestPull[f] = target;
    request(sim, f);
  }
}

/** Receiver: a trimmed packet arrived; its retransmission needs a packet of credit. */
export function rcccOnTrimmed(sim: PacketSim, f: number): void {
  const flows = sim.flows;
  flows.highestPull[f] = Math.max(flows.highestPull[f], flows.latestPull[f]) + sim.p.mtu;
  request(sim, f);
}

function request(sim: PacketSim, f: number): void {
  const flows = sim.flows;
  const nic = sim.nic;
  if (flows.inPacer[f] !== 0) return;
  const node = flows.dst[f];
  flows.inPacer[f] = 1;
  flows.pullNext[f] = -1;
  const tail = nic.pacerTail[node];
  if (tail >= 0) flows.pullNext[tail] = f;
  else nic.pacerHead[node] = f;
  nic.pacerTail[node] = f;
  if (nic.pacerOn[node] === 0) {
    nic.pacerOn[node] = 1;
    pushEvent(sim.heap, sim.now, eventCode(EV_PACER, node));
  }
}

/** The pacer of receiving endpoint `node` grants its next credit. */
export function rcccPacer(sim: PacketSim, node: number): void {
  const flows = sim.flows;
  const nic = sim.nic;
  const f = nic.pacerHead[node];
  if (f < 0) {
    nic.pacerOn[node] = 0;
    return;
  }
  const next = flows.pullNext[f];
  nic.pacerHead[node] = next;
  if (next < 0) nic.pacerTail[node] = -1;
  flows.inPacer[f] = 0;
  const prev = flows.latestPull[f];
  const latest = Math.min(prev + sim.p.creditPerPull, Math.max(flows.highestPull[f], prev));
  const grant = latest - prev;
  flows.latestPull[f] = latest;
  if (grant > 0 && flows.status[f] === 1) {
    const p = makeControl(sim, PacketKind.credit, f, Math.floor(latest / sim.p.creditPerPull));
    if (p >= 0) {
      sim.pool.v[p] = latest;
      sim.counters.credits++;
      nicSendControl(sim, p);
    }
  }
  if (flows.highestPull[f] > flows.latestPull[f] && flows.status[f] === 1) request(sim, f);
  const interval = (Math.max(grant, 1024) * nic.pacerPsPerByte[node]) / sim.p.pullRateFactor;
  pushEvent(sim.heap, sim.now + Math.round(interval), eventCode(EV_PACER, node));
}
