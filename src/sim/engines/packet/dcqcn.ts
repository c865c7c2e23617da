/**
 * DCQCN reaction point (Zhu et al., "Congestion Control for Large-Scale RDMA Deployments", SIGCOMM'15), the
 * rate control of RoCEv2 NICs. Each flow sends at rate Rc (paced per packet), starting at line rate.
 * On a CNP:      Rt ← Rc,  Rc ← Rc (1 − α/2),  α ← (1 − g) α + g, counters reset.
 * Every 55 us:   α ← (1 − g) α, and a rate-increase event (timer count T += 1).
 * Every 10 MB sent: a rate-increase event (byte count BC += 1).
 * Rate increase: fast recovery while max(T, BC) ≤ F = 5: Rc ← (Rt + Rc) / 2; hyper increase once both
 * exceed F: Rt += (min(T, BC) − F) · R_HAI; otherwise additive: Rt += R_AI; then Rc ← (Rt + Rc) / 2, capped at
 * line rate. g = 1/256; R_AI = 5% and R_HAI = 10% of line rate (htsim's DCQCN model).
 */
import { pushEvent } from "../../event-queue.js";
import { EV_DCQCN, eventCode } from "./events.js";
import type { PacketSim } from "./state.js";

function lineRate(sim: PacketSim, f: number): number {
  return 1e12 / sim.links.basePsPerByte[sim.flows.port[f]];
}

export function dcqcnInit(sim: PacketSim, f: number): void {
  const flows = sim.flows;
  const r = lineRate(sim, f);
  flows.rc[f] = r;
  flows.rt[f] = r;
  flows.dAlpha[f] = 1;
  flows.nextSendPs[f] = 0;
}

export function dcqcnCanSendAt(sim: PacketSim, f: number): number {
  return sim.flows.nextSendPs[f];
}

export function dcqcnOnSend(sim: PacketSim, f: number, bytes: number): void {
  const flows = sim.flows;
  flows.nextSendPs[f] = sim.now + Math.round((bytes / flows.rc[f]) * 1e12);
  flows.byteCounter[f] += bytes;
  if (flows.byteCounter[f] >= sim.p.dcqcnByteCounter) {
    flows.byteCounter[f] = 0;
    flows.dBC[f]++;
    increaseRate(sim, f);
  }
}

export function dcqcnOnCnp(sim: PacketSim, f: number): void {
  const flows = sim.flows;
  const g = sim.p.dcqcnG;
  flows.rt[f] = flows.rc[f];
  flows.rc[f] = flows.rc[f] * (1 - flows.dAlpha[f] / 2);
  flows.dAlpha[f] = (1 - g) * flows.dAlpha[f] + g;
  flows.dT[f] = 0;
  flows.dBC[f] = 0;
  flows.byteCounter[f] = 0;
  flows.lastCnpAt[f] = sim.now;
  flows.lastAlphaAt[f] = sim.now;
  const at = sim.now + sim.p.dcqcnPeriodPs;
  flows.dcqcnTimerAt[f] = at;
  pushEvent(sim.heap, at, eventCode(EV_DCQCN, f));
}

export function dcqcnOnTimer(sim: PacketSim, f: number, at: number): void {
  const flows = sim.flows;
  if (flows.dcqcnTimerAt[f] !== at || flows.status[f] !== 1) return;
  const period = sim.p.dcqcnPeriodPs;
  let again = false;
  if (sim.now - flows.lastAlphaAt[f] >= period) {
    flows.dAlpha[f] *= 1 - sim.p.dcqcnG;
    again = true;
  }
  if (sim.now - flows.lastCnpAt[f] >= period) {
    flows.lastCnpAt[f] = sim.now;
    flows.dT[f]++;
    increaseRate(sim, f);
    again = true;
  }
  if (again) {
    flows.dcqcnTimerAt[f] = sim.now + period;
    pushEvent(sim.heap, sim.now + period, eventCode(EV_DCQCN, f));
  }
}

function increaseRate(sim: PacketSim, f: number): void {
  const flows = sim.flows;
  const link = lineRate(sim, f);
  if (flows.rc[f] >= link) return;
  const F = sim.p.dcqcnF;
  const t = flows.dT[f];
  const bc = flows.dBC[f];
  if (Math.max(t, bc) > F) {
    if (Math.min(t, bc) > F) flows.rt[f] += (Math.min(t, bc) - F) * 0.1 * link;
    else flows.rt[f] += 0.05 * link;
  }
  flows.rc[f] = Math.min((flows.rt[f] + flows.rc[f]) / 2, link);
}
