/**
 * The NIC of an endpoint, as htsim's UecNIC: it sends one packet at a time at its line rate, taking turns
 * round-robin among the flows that have something they may send, and interleaving control packets (acks,
 * nacks, credits, CNPs) with data 10:1 when both wait. A flow is in the NIC's list at most once; when its
 * turn comes it builds its next packet then (so the packet carries up-to-date state) or gives up its turn.
 * Data waits while the NIC's port is paused by PFC; control packets do not.
 */
import { eventCode, pushEvent } from "./event-heap.js";
import { EV_NIC } from "./events.js";
import { sendOnLink } from "./queues.js";
import { flowCanSend, makeDataPacket } from "./sender.js";
import type { PacketSim } from "./state.js";
import { serializationPs } from "./time.js";

const RATIO_CONTROL = 10;
const RATIO_DATA = 1;

/** Queues control packet `p` (already routed) at endpoint `node`. */
export function nicSendControl(sim: PacketSim, node: number, p: number): void {
  const nic = sim.nic;
  const pool = sim.pool;
  pool.next[p] = -1;
  const tail = nic.ctrlTail[node];
  if (tail >= 0) pool.next[tail] = p;
  else nic.ctrlHead[node] = p;
  nic.ctrlTail[node] = p;
  sim.counters.controlPackets++;
  if (nic.busy[node] === 0) nicServe(sim, node);
}

/** Flow `f` may have something to send: put it in its NIC's round-robin list. */
export function flowKick(sim: PacketSim, f: number): void {
  const flows = sim.flows;
  if (flows.inNic[f] !== 0 || !flowCanSend(sim, f)) return;
  appendFlow(sim, f);
  const node = flows.src[f];
  if (sim.nic.busy[node] === 0) nicServe(sim, node);
}

export function nicKick(sim: PacketSim, node: number): void {
  if (sim.nic.busy[node] === 0) nicServe(sim, node);
}

function appendFlow(sim: PacketSim, f: number): void {
  const flows = sim.flows;
  const nic = sim.nic;
  const node = flows.src[f];
  flows.inNic[f] = 1;
  flows.nicNext[f] = -1;
  const tail = nic.dataTail[node];
  if (tail >= 0) flows.nicNext[tail] = f;
  else nic.dataHead[node] = f;
  nic.dataTail[node] = f;
  nic.active[node]++;
}

function popFlow(sim: PacketSim, node: number): number {
  const flows = sim.flows;
  const nic = sim.nic;
  const f = nic.dataHead[node];
  const next = flows.nicNext[f];
  nic.dataHead[node] = next;
  if (next < 0) nic.dataTail[node] = -1;
  flows.inNic[f] = 0;
  nic.active[node]--;
  return f;
}

/** The NIC is idle: send the next packet, if any. */
export function nicServe(sim: PacketSim, node: number): void {
  const nic = sim.nic;
  for (;;) {
    const hasCtrl = nic.ctrlHead[node] >= 0;
    const port = nic.port[node];
    const hasData = nic.dataHead[node] >= 0 && (port < 0 || sim.links.paused[port] === 0);
    if (!hasCtrl && !hasData) {
      nic.busy[node] = 0;
      return;
    }
    let useData = hasData;
    if (hasCtrl && hasData) {
      const crt = (nic.crt[node] + 1) % (RATIO_CONTROL + RATIO_DATA);
      nic.crt[node] = crt;
      useData = crt < RATIO_DATA;
    }
    let p: number;
    if (useData) {
      const f = popFlow(sim, node);
      p = makeDataPacket(sim, f);
      if (flowCanSend(sim, f)) appendFlow(sim, f);
      if (p < 0) continue;
    } else {
      const pool = sim.pool;
      p = nic.ctrlHead[node];
      const next = pool.next[p];
      nic.ctrlHead[node] = next;
      if (next < 0) nic.ctrlTail[node] = -1;
    }
    transmit(sim, node, p);
    return;
  }
}

function transmit(sim: PacketSim, node: number, p: number): void {
  const nic = sim.nic;
  const pool = sim.pool;
  nic.busy[node] = 1;
  pushEvent(sim.heap, sim.now + serializationPs(pool.size[p], nic.psPerByte[node]), eventCode(EV_NIC, node));
  sendOnLink(sim, p, pool.route[p * sim.paths.maxHops]);
}
