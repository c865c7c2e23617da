/**
 * Priority flow control (IEEE 802.1Qbb) for the lossless data class. A switch counts, per ingress port, the
 * data bytes it holds that arrived on that port. When the count reaches Xoff it sends PAUSE upstream; when it
 * falls to Xon it sends RESUME. Each frame takes effect at the upstream output queue one link latency plus a
 * 64-byte frame time later; a paused queue keeps serving its high class only. Xoff leaves headroom for what
 * the upstream can still send before the pause lands: two link latencies of line rate and two packets.
 */
import { pushEvent } from "../../event-queue.js";
import { EV_PFC, eventCode } from "./events.js";
import { nicKick } from "./nic.js";
import { HEADER_BYTES } from "./params.js";
import { startService } from "./queues.js";
import type { PacketSim } from "./state.js";
import { serializationPs } from "./time.js";

/** Data packet `p` was queued at a switch; `p.ingress` is the link it came in on. */
export function pfcOnEnqueue(sim: PacketSim, p: number): void {
  const links = sim.links;
  const inLink = sim.pool.ingress[p];
  if (inLink < 0) return;
  links.ingressBytes[inLink] += sim.pool.size[p];
  if (links.pauseSent[inLink] === 0 && links.ingressBytes[inLink] >= links.xoff[inLink]) {
    links.pauseSent[inLink] = 1;
    sim.counters.pfcPauses++;
    signal(sim, inLink, 1);
  }
}

/** Data packet `p` left the switch that counted it against its ingress port. */
export function pfcOnLeave(sim: PacketSim, p: number): void {
  const links = sim.links;
  const inLink = sim.pool.ingress[p];
  if (inLink < 0) return;
  links.ingressBytes[inLink] -= sim.pool.size[p];
  if (links.pauseSent[inLink] !== 0 && links.ingressBytes[inLink] <= links.xon[inLink]) {
    links.pauseSent[inLink] = 0;
    signal(sim, inLink, 0);
  }
}

function signal(sim: PacketSim, l: number, pause: number): void {
  const links = sim.links;
  const delay = links.latPs[l] + serializationPs(HEADER_BYTES, links.psPerByte[l]);
  pushEvent(sim.heap, sim.now + delay, eventCode(EV_PFC, l * 2 + pause));
}

/** A PAUSE (1) or RESUME (0) frame reaches the queue of link `l`. */
export function pfcFrame(sim: PacketSim, l: number, pause: number): void {
  const links = sim.links;
  links.paused[l] = pause;
  if (pause === 0) {
    if (links.serving[l] < 0) startService(sim, l);
    if (links.fromSwitch[l] === 0) nicKick(sim, l);
  }
}

/** Thresholds per ingress link: Xoff = buffer − headroom (at least one packet), Xon = Xoff − 2 packets. */
export function pfcThresholds(sim: PacketSim): void {
  const links = sim.links;
  const { buffer, mtu } = sim.p;
  for (let l = 0; l < links.count; l++) {
    const inFlight = (2 * links.latPs[l]) / links.psPerByte[l];
    const xoff = Math.max(mtu, buffer - inFlight - 2 * mtu);
    links.xoff[l] = xoff;
    links.xon[l] = Math.max(0, xoff - 2 * mtu);
  }
}
