/**
 * Switch and NIC output queues, and the pipes behind them (htsim's queue → pipe hop).
 *
 * A queue has two classes served with strict priority: high for header-only packets (acks, nacks, credits,
 * CNPs, trimmed data), low for data. Data that does not fit the buffer is trimmed to its header and sent on
 * at high priority when trimming is on (as htsim's CompositeQueue: half the time the youngest queued packet
 * is trimmed instead of the arrival), else dropped (drop-tail). Data leaving a switch queue is ECN-marked
 * with RED probability on the data bytes left behind: 0 below `ecnMin`, rising linearly to 1 at `ecnMax`.
 * With PFC the data class is lossless: nothing is trimmed or dropped, the ingress side pauses the sender
 * instead (pfc.ts), and a paused queue serves only its high class (head-of-line blocking for all its data).
 *
 * Serialization takes size × ps-per-byte of the link; then the packet spends the link's latency in the pipe.
 * A pipe is FIFO (its delay is constant), so only its head has an event pending.
 */

import { LINK_TIER_NAMES } from "../../../topology/fabric.js";
import { pushEvent } from "../../event-queue.js";
import { deliver } from "./deliver.js";
import { EV_PIPE, EV_QDONE, eventCode } from "./events.js";
import { F_ECN, F_TRIMMED, freePacket, PacketKind } from "./packets.js";
import { HEADER_BYTES } from "./params.js";
import { adaptiveNextLink } from "./paths.js";
import { pfcOnEnqueue, pfcOnLeave } from "./pfc.js";
import { nextRandom, type PacketSim, type PacketUsage } from "./state.js";
import { serializationPs } from "./time.js";

const TIERS = LINK_TIER_NAMES.length;

/** Packet `p` leaves its current node on link `l` (enqueue at the link's output queue). */
export function sendOnLink(sim: PacketSim, p: number, l: number): void {
  const links = sim.links;
  const pool = sim.pool;
  if (links.dead[l] !== 0) {
    sim.counters.failureDrops++;
    freePacket(pool, p);
    return;
  }
  const isData = pool.kind[p] === PacketKind.data && (pool.flags[p] & F_TRIMMED) === 0;
  if (isData) {
    if (!sim.p.pfc && links.loBytes[l] + pool.size[p] > links.capacity[l]) {
      if (!overflow(sim, p, l)) return;
    } else {
      pushLow(sim, p, l);
      if (sim.p.pfc) pfcOnEnqueue(sim, p);
    }
  } else if (!pushHigh(sim, p, l)) {
    return;
  }
  const total = links.loBytes[l] + links.hiBytes[l];
  if (total > links.maxBytes[l]) links.maxBytes[l] = total;
  if (links.serving[l] < 0) startService(sim, l);
}

/** A data packet meets a full queue. Returns true when something was queued. */
function overflow(sim: PacketSim, p: number, l: number): boolean {
  const links = sim.links;
  const pool = sim.pool;
  if (!sim.p.trimming) {
    sim.counters.drops++;
    freePacket(pool, p);
    return false;
  }
  const tail = links.loTail[l];
  if (tail >= 0 && tail !== links.serving[l] && nextRandom(sim) < 0.5) {
    // Trim the youngest queued packet and take the arrival in its place.
    unlinkLow(sim, tail, l);
    trim(sim, tail);
    pushLow(sim, p, l);
    pushHigh(sim, tail, l);
    return true;
  }
  trim(sim, p);
  return pushHigh(sim, p, l);
}

function trim(sim: PacketSim, p: number): void {
  const pool = sim.pool;
  pool.flags[p] |= F_TRIMMED;
  pool.size[p] = HEADER_BYTES;
  pool.trimHop[p] = pool.hop[p];
  sim.counters.trims++;
}

function pushLow(sim: PacketSim, p: number, l: number): void {
  const links = sim.links;
  const pool = sim.pool;
  const tail = links.loTail[l];
  pool.next[p] = -1;
  pool.prev[p] = tail;
  if (tail >= 0) pool.next[tail] = p;
  else links.loHead[l] = p;
  links.loTail[l] = p;
  links.loBytes[l] += pool.size[p];
}

function unlinkLow(sim: PacketSim, p: number, l: number): void {
  const links = sim.links;
  const pool = sim.pool;
  const prev = pool.prev[p];
  const next = pool.next[p];
  if (prev >= 0) pool.next[prev] = next;
  else links.loHead[l] = next;
  if (next >= 0) pool.prev[next] = prev;
  else links.loTail[l] = prev;
  links.loBytes[l] -= pool.size[p];
}

/** High class: header-only packets, up to twice the buffer (htsim's limit), else dropped. */
function pushHigh(sim: PacketSim, p: number, l: number): boolean {
  const links = sim.links;
  const pool = sim.pool;
  if (links.hiBytes[l] + pool.size[p] > 2 * links.capacity[l]) {
    sim.counters.drops++;
    freePacket(pool, p);
    return false;
  }
  const tail = links.hiTail[l];
  pool.next[p] = -1;
  if (tail >= 0) pool.next[tail] = p;
  else links.hiHead[l] = p;
  links.hiTail[l] = p;
  links.hiBytes[l] += pool.size[p];
  return true;
}

/** Starts serializing the next packet, if any may go. */
export function startService(sim: PacketSim, l: number): void {
  const links = sim.links;
  let p = links.hiHead[l];
  let hi = 1;
  if (p < 0) {
    if (links.paused[l] !== 0) return;
    p = links.loHead[l];
    hi = 0;
    if (p < 0) return;
  }
  links.serving[l] = p;
  links.servingHi[l] = hi;
  pushEvent(
    sim.heap,
    sim.now + serializationPs(sim.pool.size[p], links.psPerByte[l]),
    eventCode(EV_QDONE, l),
  );
}

/** The packet being serialized on `l` is fully sent: mark, release, put it in the pipe, serve the next. */
export function completeService(sim: PacketSim, l: number): void {
  const links = sim.links;
  const pool = sim.pool;
  const p = links.serving[l];
  if (p < 0) return; // the queue was flushed by a failure
  links.serving[l] = -1;
  if (sim.usage) countUsage(sim, p, l, links.servingHi[l] === 0);
  if (links.servingHi[l] !== 0) {
    const next = pool.next[p];
    links.hiHead[l] = next;
    if (next < 0) links.hiTail[l] = -1;
    links.hiBytes[l] -= pool.size[p];
  } else {
    unlinkLow(sim, p, l);
    if (links.marks[l] !== 0) markEcn(sim, p, links.loBytes[l]);
    if (sim.p.pfc && links.fromSwitch[l] !== 0) pfcOnLeave(sim, p);
  }
  pool.t[p] = sim.now + links.latPs[l];
  pool.next[p] = -1;
  const tail = links.pipeTail[l];
  if (tail >= 0) pool.next[tail] = p;
  else {
    links.pipeHead[l] = p;
    pushEvent(sim.heap, pool.t[p], eventCode(EV_PIPE, l));
  }
  links.pipeTail[l] = p;
  startService(sim, l);
}

/** A network's accounting of packet `p` leaving link `l` (data: untrimmed payload of the low class). */
function countUsage(sim: PacketSim, p: number, l: number, data: boolean): void {
  const u = sim.usage as PacketUsage;
  const pool = sim.pool;
  u.linkServed[l] += pool.size[p];
  if (!data) return;
  const b = sim.flows.tag[pool.flow[p]];
  const payload = Math.max(0, pool.size[p] - (sim.p.mtu - sim.p.mss));
  const tier = sim.fabric.links.tier[l];
  u.tierBytes[b * TIERS + tier] += payload;
  const T = u.tags;
  if (T === 1) return;
  const base = l * T;
  const since = sim.now - u.windowPs;
  for (let a = 0; a < T; a++) {
    if (a === b || u.lastSeen[base + a] < since) continue;
    u.met[(a * T + b) * TIERS + tier] += payload;
    u.linkMet[l] += payload;
    u.linkTags[l] |= (1 << a) | (1 << b);
  }
  u.lastSeen[base + b] = sim.now;
}

function markEcn(sim: PacketSim, p: number, queued: number): void {
  const min = sim.p.ecnMin;
  if (queued <= min) return;
  const max = sim.p.ecnMax;
  if (queued > max || nextRandom(sim) < (queued - min) / (max - min)) {
    const pool = sim.pool;
    if ((pool.flags[p] & F_ECN) === 0) sim.counters.ecnMarks++;
    pool.flags[p] |= F_ECN;
  }
}

/** The head of pipe `l` reaches the far end. */
export function pipeArrival(sim: PacketSim, l: number): void {
  const links = sim.links;
  const pool = sim.pool;
  const p = links.pipeHead[l];
  if (p < 0) return; // flushed by a failure
  const next = pool.next[p];
  links.pipeHead[l] = next;
  if (next < 0) links.pipeTail[l] = -1;
  else pushEvent(sim.heap, pool.t[next], eventCode(EV_PIPE, l));
  arrive(sim, p, l);
}

/** Packet `p` arrived over link `l`: deliver it at its destination or forward it on its route. */
function arrive(sim: PacketSim, p: number, l: number): void {
  const pool = sim.pool;
  const h = pool.hop[p] + 1;
  if (h >= pool.hops[p]) {
    deliver(sim, p);
    return;
  }
  pool.hop[p] = h;
  pool.ingress[p] = l;
  let next = pool.route[p * sim.paths.maxHops + h];
  if (sim.p.loadBalancing === "adaptive" && sim.fabric.links.up[next] !== 0)
    next = adaptiveNextLink(sim, p, h);
  sendOnLink(sim, p, next);
}

/** A failed link loses everything queued on it and in its pipe. */
export function flushLink(sim: PacketSim, l: number): void {
  const links = sim.links;
  const releaseIngress = sim.p.pfc && links.fromSwitch[l] !== 0;
  dropList(sim, links.hiHead[l], false);
  dropList(sim, links.loHead[l], releaseIngress);
  dropList(sim, links.pipeHead[l], false);
  links.hiHead[l] = links.hiTail[l] = links.loHead[l] = links.loTail[l] = -1;
  links.pipeHead[l] = links.pipeTail[l] = -1;
  links.hiBytes[l] = links.loBytes[l] = 0;
  links.serving[l] = -1;
}

function dropList(sim: PacketSim, head: number, releaseIngress: boolean): void {
  const pool = sim.pool;
  let p = head;
  while (p >= 0) {
    const next = pool.next[p];
    if (releaseIngress) pfcOnLeave(sim, p);
    sim.counters.failureDrops++;
    freePacket(pool, p);
    p = next;
  }
}
