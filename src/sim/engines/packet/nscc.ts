/**
 * NSCC, the Ultra Ethernet network-signal sender congestion control (UEC 1.0, June 2025), as htsim's UEC model
 * runs it. The window reacts to two signals per ack: ECN (the path's queues are above their marking
 * threshold) and queuing delay (RTT sample − base RTT) against a target delay:
 *   no ECN, delay ≥ target   → fair increase:          inc += fi · acked
 *   no ECN, delay <  target  → proportional increase: inc += alpha · acked · (target − delay)
 *                              (fast increase instead: cwnd += fiScale · acked once a full window saw < 1 us)
 *   ECN,    delay ≥ target   → multiplicative decrease, at most once per base RTT:
 *                              cwnd ·= max(1 − gamma · (avgDelay − target) / avgDelay, 0.5)
 *   ECN,    delay <  target  → nothing (the entropy is changed instead).
 * Increases accumulate in `inc` and are applied every `adjustBytes` acked or every base RTT (fulfill):
 * cwnd += inc / cwnd (+ eta once per period). Quick adapt: at the end of each (base RTT + target) period,
 * after a loss (NACK) or a delay above 4 × target, if less than maxwnd / 8 was delivered in the period, the
 * window drops to what was delivered. A NACK also takes its packet's bytes off the window.
 * Window bounds: one MTU .. 1.5 × BDP.
 */
import type { PacketSim } from "./state.js";

export function nsccInit(sim: PacketSim, f: number, maxwnd: number): void {
  const flows = sim.flows;
  flows.maxwnd[f] = maxwnd;
  flows.cwnd[f] = maxwnd;
  flows.baseRtt[f] = sim.p.netRttPs;
}

function quickAdapt(sim: PacketSim, f: number, isLoss: boolean, skip: boolean, delay: number): boolean {
  const flows = sim.flows;
  const p = sim.p;
  let done = false;
  if (flows.bytesIgnored[f] < flows.bytesToIgnore[f] && skip) {
    done = true;
  } else if (sim.now > flows.qaEnd[f]) {
    if (
      flows.qaEnd[f] !== 0 &&
      (flows.triggerQa[f] !== 0 || isLoss || delay > p.qaThresholdPs) &&
      flows.achieved[f] < Math.floor(flows.maxwnd[f] / 2 ** p.qaGate)
    ) {
      flows.cwnd[f] = Math.max(flows.achieved[f], p.minCwnd);
      flows.bytesToIgnore[f] = flows.inFlight[f];
      flows.bytesIgnored[f] = 0;
      flows.triggerQa[f] = 0;
      done = true;
    }
    flows.achieved[f] = 0;
    flows.qaEnd[f] = sim.now + flows.baseRtt[f] + p.targetQdelayPs;
  }
  if (done) {
    flows.incBytes[f] = 0;
    flows.receivedBytes[f] = 0;
  }
  return done;
}

/** Smoothed queuing delay, htsim's update_delay. */
export function nsccUpdateDelay(sim: PacketSim, f: number, rawRtt: number, ecn: boolean): void {
  const flows = sim.flows;
  const p = sim.p;
  const base = flows.baseRtt[f];
  const delay = rawRtt - base;
  const a = p.delayAlpha;
  if (!ecn && delay > p.targetQdelayPs) {
    // Delay without marks: more likely a slow path than a queue; pull the average down.
    flows.avgDelay[f] = a * base * 0.25 + (1 - a) * flows.avgDelay[f];
  } else {
    flows.avgDelay[f] = a * delay + (1 - a) * flows.avgDelay[f];
  }
}

export function nsccUpdateBaseRtt(sim: PacketSim, f: number, rawRtt: number): void {
  const flows = sim.flows;
  if (flows.baseRtt[f] > rawRtt) {
    flows.baseRtt[f] = rawRtt;
    const nicRate = 1e12 / sim.links.basePsPerByte[flows.port[f]];
    flows.maxwnd[f] = 1.5 * (rawRtt / 1e12) * nicRate;
  }
}

function boundCwnd(sim: PacketSim, f: number): void {
  const flows = sim.flows;
  if (flows.cwnd[f] < sim.p.minCwnd) flows.cwnd[f] = sim.p.minCwnd;
  if (flows.cwnd[f] > flows.maxwnd[f]) flows.cwnd[f] = flows.maxwnd[f];
}

export function nsccOnAck(sim: PacketSim, f: number, ecn: boolean, delay: number, acked: number): void {
  if (quickAdapt(sim, f, false, ecn, delay)) return;
  const flows = sim.flows;
  const p = sim.p;
  const target = p.targetQdelayPs;
  if (!ecn && delay >= target) {
    flows.incBytes[f] += p.fi * acked;
  } else if (!ecn) {
    if (!fastIncrease(sim, f, acked, delay)) flows.incBytes[f] += p.alpha * acked * (target - delay);
  } else if (delay >= target) {
    multiplicativeDecrease(sim, f);
  }
  boundCwnd(sim, f);
  if (flows.receivedBytes[f] > p.adjustBytes || sim.now - flows.lastAdjust[f] > p.adjustPeriodPs) {
    fulfill(sim, f);
  }
  boundCwnd(sim, f);
}

function fastIncrease(sim: PacketSim, f: number, acked: number, delay: number): boolean {
  const flows = sim.flows;
  if (delay < 1e6) {
    flows.fiCount[f] += acked;
    if (flows.fiCount[f] > flows.cwnd[f] || flows.increasing[f] !== 0) {
      flows.cwnd[f] = Math.floor(flows.cwnd[f] + acked * sim.p.fiScale);
      flows.increasing[f] = 1;
      return true;
    }
  } else {
    flows.fiCount[f] = 0;
  }
  flows.increasing[f] = 0;
  return false;
}

function multiplicativeDecrease(sim: PacketSim, f: number): void {
  const flows = sim.flows;
  const p = sim.p;
  flows.increasing[f] = 0;
  flows.fiCount[f] = 0;
  const avg = flows.avgDelay[f];
  if (avg > p.targetQdelayPs && sim.now - flows.lastDec[f] > flows.baseRtt[f]) {
    const factor = Math.max(1 - (p.gamma * (avg - p.targetQdelayPs)) / avg, 0.5);
    flows.cwnd[f] = Math.max(Math.floor(flows.cwnd[f] * factor), p.minCwnd);
    flows.lastDec[f] = sim.now;
  }
}

function fulfill(sim: PacketSim, f: number): void {
  const flows = sim.flows;
  const p = sim.p;
  flows.cwnd[f] += Math.floor(flows.incBytes[f] / flows.cwnd[f]);
  if (sim.now - flows.lastAdjust[f] >= p.adjustPeriodPs) {
    flows.cwnd[f] = Math.floor(flows.cwnd[f] + p.eta);
    flows.lastAdjust[f] = sim.now;
  }
  flows.incBytes[f] = 0;
  flows.receivedBytes[f] = 0;
}

/**
 * A NACK for `bytes` (a trimmed packet): a loss signal. With receiver credits on too, a trim at the last hop
 * is the receiver's business (its credits pace the incast), so the window keeps those bytes.
 */
export function nsccOnNack(sim: PacketSim, f: number, bytes: number, lastHop: boolean): void {
  const flows = sim.flows;
  flows.bytesIgnored[f] += bytes;
  // The trim says a queue was full: count a delay of one network RTT above base.
  nsccUpdateDelay(sim, f, flows.baseRtt[f] + sim.p.netRttPs, true);
  flows.triggerQa[f] = 1;
  if (quickAdapt(sim, f, true, true, 0)) return;
  if (sim.p.rccc && lastHop) return;
  flows.cwnd[f] -= bytes;
  boundCwnd(sim, f);
}

/** A retransmission timeout for `bytes`. */
export function nsccOnTimeout(sim: PacketSim, f: number, bytes: number): void {
  const flows = sim.flows;
  flows.cwnd[f] = Math.max(flows.cwnd[f] - bytes, sim.p.mtu);
}
