/**
 * Where a fluid run is optimistic for a packet transport: a sender that runs many flows at once gives each
 * a packet every `flows × mtu / NIC rate` seconds (its NIC serves them round-robin), while the receiver acks
 * once per `ackPackets` packets (unless a mark or an ack request comes first). The first packet of each
 * group then waits (ackPackets − 1) packet gaps plus a round trip for its ack; past the retransmission timer
 * the sender resends it although nothing was lost, and shrinks its window. The fluid engines have no timer,
 * so they finish such flows early: in the k = 8 all-to-all (127 flows per NIC, a packet every 42 us, acks
 * after ~140 us against a 101 us timer) the packet engine resends 11–12.5% of the packets and its mean
 * completion is 7–9% later (docs/flow-model.md, "Known limits").
 */
import type { AckTimer } from "../../sim/engines/packet/scenario-options.js";
import type { FlowSet } from "../../sim/flows.js";
import type { Fabric } from "../../topology/fabric.js";
import { formatTime } from "../../units/format.js";

/** The worst sender's case, when its first packets wait past the timer. */
export interface AckWait {
  /** Senders whose first packets of a group wait past the timer. */
  senders: number;
  /** The most flows one of them runs at once (flows of more than one ack's worth of packets). */
  flows: number;
  /** Seconds between two packets of one of its flows, and from a group's first packet to its ack. */
  gapS: number;
  waitS: number;
}

/**
 * The senders whose flows, at their NIC's round-robin share while the most of them run at once (from each
 * flow's start to its finish in the run), wait longer for an ack than the timer; undefined when none do.
 * Flows of one ack's worth of packets or fewer are left out: their last packet requests the ack.
 */
export function ackWaitPastTimer(
  fabric: Fabric,
  flows: FlowSet,
  finish: Float64Array,
  timer: AckTimer,
): AckWait | undefined {
  const peak = peakFlowsPerSender(flows, finish, timer.ackPackets * timer.mtu);
  const nicRate = senderRates(fabric);
  let worst: AckWait | undefined;
  let senders = 0;
  for (const [node, count] of peak) {
    const gapS = (count * timer.mtu) / nicRate[node];
    const waitS = (timer.ackPackets - 1) * gapS + timer.rttS;
    if (!(waitS > timer.rtoS)) continue;
    senders++;
    if (!worst || waitS > worst.waitS) worst = { senders: 0, flows: count, gapS, waitS };
  }
  return worst && { ...worst, senders };
}

/** The warning a fluid run's results carry for `w`. */
export function ackWaitWarning(w: AckWait, timer: AckTimer): string {
  return (
    `${w.senders} sender(s) run up to ${w.flows} flows at once: each flow sends a packet every ` +
    `${formatTime(w.gapS)}, and with one ack per ${timer.ackPackets} packets its first packets wait ` +
    `${formatTime(w.waitS)} for an ack, past the ${formatTime(timer.rtoS)} retransmission timer. A packet transport ` +
    "resends them although nothing is lost, so completions at packet fidelity come later than these " +
    "(docs/flow-model.md, Known limits)"
  );
}

/** Per sender node: the most of its flows (above `minBytes`) active at once, over [start, finish). */
function peakFlowsPerSender(flows: FlowSet, finish: Float64Array, minBytes: number): Map<number, number> {
  // The flows that count, grouped by sender (a counting sort over the senders' node ids).
  const counted: number[] = [];
  for (let f = 0; f < flows.count; f++) {
    if (flows.bytes[f] > minBytes && Number.isFinite(finish[f])) counted.push(f);
  }
  const bySender = new Map<number, number>();
  for (const f of counted) bySender.set(flows.src[f], (bySender.get(flows.src[f]) ?? 0) + 1);
  const offset = new Map<number, number>();
  let at = 0;
  for (const [node, n] of bySender) {
    offset.set(node, at);
    at += n;
  }
  const starts = new Float64Array(counted.length);
  const ends = new Float64Array(counted.length);
  const fill = new Map(offset);
  for (const f of counted) {
    const i = fill.get(flows.src[f]) ?? 0;
    fill.set(flows.src[f], i + 1);
    starts[i] = flows.start[f];
    ends[i] = finish[f];
  }
  const peak = new Map<number, number>();
  for (const [node, n] of bySender) {
    const from = offset.get(node) ?? 0;
    peak.set(node, mostAtOnce(starts.subarray(from, from + n).sort(), ends.subarray(from, from + n).sort()));
  }
  return peak;
}

/** The most intervals [starts[i], ends[i]) open at once, from both ends sorted ascending. */
function mostAtOnce(starts: Float64Array, ends: Float64Array): number {
  let most = 0;
  let open = 0;
  let e = 0;
  for (let i = 0; i < starts.length; i++) {
    while (e < ends.length && ends[e] <= starts[i]) {
      e++;
      open--;
    }
    open++;
    if (open > most) most = open;
  }
  return most;
}

/**
 * Per node: its fastest link out, bytes/s — a host's NIC. An accelerator's scale-up links are faster than its
 * NIC: its flows are taken as spaced closer than they are, so the check can miss them but not flag them
 * wrongly.
 */
function senderRates(fabric: Fabric): Float64Array {
  const rate = new Float64Array(fabric.nodes.count);
  for (let l = 0; l < fabric.links.count; l++) {
    const from = fabric.links.from[l];
    if (fabric.links.bandwidth[l] > rate[from]) rate[from] = fabric.links.bandwidth[l];
  }
  return rate;
}
