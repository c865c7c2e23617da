/**
 * The NIC ports of endpoints, as htsim's UecNIC: a port sends one packet at a time at its link's rate,
 * taking turns round-robin among the flows that leave on it and have something they may send, and
 * interleaving control packets (acks, nacks, credits, CNPs) with data 10:1 when both wait. A flow is in its
 * port's list at most once; when its turn comes it builds its next packet then (so the packet carries
 * up-to-date state) or gives up its turn. Data waits while the port is paused by PFC; control does not.
 *
 * A port is identified by its out-link: a flow's port is the first link of its path 0 (an accelerator with
 * both scale-up and scale-out links has a port for each), a control packet's the first link of its route.
 */
import { pushEvent } from "../../event-queue.js";
import { EV_NIC, eventCode } from "./events.js";
import { sendOnLink } from "./queues.js";
import { flowCanSend, makeDataPacket } from "./sender.js";
import type { PacketSim } from "./state.js";
import { serializationPs } from "./time.js";

const RATIO_CONTROL = 10;
const RATIO_DATA = 1;

/** Queues control packet `p` (already routed) at the port its route starts on. */
export function nicSendControl(sim: PacketSim, p: number): void {
  const nic = sim.nic;
  const pool = sim.pool;
  const port = pool.route[p * sim.paths.maxHops];
  pool.next[p] = -1;
  const tail = nic.ctrlTail[port];
  if (tail >= 0) pool.next[tail] = p;
  else nic.ctrlHead[port] = p;
  nic.ctrlTail[port] = p;
  sim.counters.controlPackets++;
  if (nic.busy[port] === 0) nicServe(sim, port);
}

/** Flow `f` may have something to send: put it in its port's round-robin list. */
export function flowKick(sim: PacketSim, f: number): void {
  const flows = sim.flows;
  if (flows.inNic[f] !== 0 || !flowCanSend(sim, f)) return;
  appendFlow(sim, f);
  const port = flows.port[f];
  if (sim.nic.busy[port] === 0) nicServe(sim, port);
}

export function nicKick(sim: PacketSim, port: number): void {
  if (sim.nic.busy[port] === 0) nicServe(sim, port);
}

function appendFlow(sim: PacketSim, f: number): void {
  const flows = sim.flows;
  const nic = sim.nic;
  const port = flows.port[f];
  flows.inNic[f] = 1;
  flows.nicNext[f] = -1;
  const tail = nic.dataTail[port];
  if (tail >= 0) flows.nicNext[tail] = f;
  else nic.dataHead[port] = f;
  nic.dataTail[port] = f;
  nic.active[port]++;
}

function popFlow(sim: PacketSim, port: number): number {
  const flows = sim.flows;
  const nic = sim.nic;
  const f = nic.dataHead[port];
  const next = flows.nicNext[f];
  nic.dataHead[port] = next;
  if (next < 0) nic.dataTail[port] = -1;
  flows.inNic[f] = 0;
  nic.active[port]--;
  return f;
}

/** The port is idle: send the next packet, if any. */
export function nicServe(sim: PacketSim, port: number): void {
  const nic = sim.nic;
  for (;;) {
    const hasCtrl = nic.ctrlHead[port] >= 0;
    const hasData = nic.dataHead[port] >= 0 && sim.links.paused[port] === 0;
    if (!hasCtrl && !hasData) {
      nic.busy[port] = 0;
      return;
    }
    let useData = hasData;
    if (hasCtrl && hasData) {
      const crt = (nic.crt[port] + 1) % (RATIO_CONTROL + RATIO_DATA);
      nic.crt[port] = crt;
      useData = crt < RATIO_DATA;
    }
    let p: number;
    if (useData) {
      const f = popFlow(sim, port);
      p = makeDataPacket(sim, f);
      if (flowCanSend(sim, f)) appendFlow(sim, f);
      if (p < 0) continue;
    } else {
      const pool = sim.pool;
      p = nic.ctrlHead[port];
      const next = pool.next[p];
      nic.ctrlHead[port] = next;
      if (next < 0) nic.ctrlTail[port] = -1;
    }
    transmit(sim, port, p);
    return;
  }
}

function transmit(sim: PacketSim, port: number, p: number): void {
  const pool = sim.pool;
  sim.nic.busy[port] = 1;
  const done = sim.now + serializationPs(pool.size[p], sim.links.psPerByte[port]);
  pushEvent(sim.heap, done, eventCode(EV_NIC, port));
  sendOnLink(sim, p, pool.route[p * sim.paths.maxHops]);
}
