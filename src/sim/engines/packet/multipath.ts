/**
 * Entropy values (EVs) of a spraying flow: the path id a packet carries, which switches hash to pick a port.
 * As htsim's default "mixed" UEC load balancer:
 * - recycle (REPS, Bonato et al. 2024): an EV whose ack came back unmarked is good; it is queued and reused
 *   by the next packet;
 * - otherwise rotate through the flow's EVs in a shuffled order (index XOR a random mask, reshuffled every
 *   round), skipping EVs with a penalty: an ECN echo adds 1, a NACK from a mid-path trim 4, a timeout the
 *   maximum 15; each skip pays one unit back.
 * With per-flow ECMP the EV is constant (0): every packet takes the flow's hashed path.
 */
import { nextRandomInt, type PacketSim } from "./state.js";

const MAX_PENALTY = 15;
export const PENALTY_ECN = 1;
export const PENALTY_NACK = 4;
export const PENALTY_TIMEOUT = MAX_PENALTY;

export function initEntropy(sim: PacketSim, f: number): void {
  sim.flows.evIndex[f] = 0;
  sim.flows.evXor[f] = nextRandomInt(sim, sim.p.evCount);
}

export function nextEntropy(sim: PacketSim, f: number): number {
  if (sim.p.loadBalancing === "ecmp") return 0;
  const flows = sim.flows;
  const n = sim.p.evCount;
  if (flows.evRingCount[f] > 0) {
    const base = f * n;
    const ev = flows.evRing[base + flows.evRingHead[f]];
    flows.evRingHead[f] = (flows.evRingHead[f] + 1) & (n - 1);
    flows.evRingCount[f]--;
    return ev;
  }
  const mask = n - 1;
  const pen = flows.evPenalty;
  const base = f * n;
  let ev = (flows.evIndex[f] ^ flows.evXor[f]) & mask;
  let paid = false;
  for (let tries = 0; pen[base + ev] > 0 && tries < n; tries++) {
    if (!paid) {
      pen[base + ev]--;
      paid = true;
    }
    advance(sim, f);
    ev = (flows.evIndex[f] ^ flows.evXor[f]) & mask;
  }
  advance(sim, f);
  return ev;
}

function advance(sim: PacketSim, f: number): void {
  const flows = sim.flows;
  const n = sim.p.evCount;
  const i = flows.evIndex[f] + 1;
  if (i === n) {
    flows.evIndex[f] = 0;
    flows.evXor[f] = nextRandomInt(sim, n);
  } else {
    flows.evIndex[f] = i;
  }
}

/** Ack feedback for the EV a data packet used: good (recycled) or ECN-marked (penalized). */
export function entropyFeedback(sim: PacketSim, f: number, ev: number, penalty: number): void {
  if (sim.p.loadBalancing === "ecmp") return;
  const flows = sim.flows;
  const n = sim.p.evCount;
  const base = f * n;
  const slot = ev & (n - 1);
  if (penalty === 0) {
    if (flows.evRingCount[f] === n) {
      // full: forget the oldest
      flows.evRingHead[f] = (flows.evRingHead[f] + 1) & (n - 1);
      flows.evRingCount[f]--;
    }
    const at = (flows.evRingHead[f] + flows.evRingCount[f]) & (n - 1);
    flows.evRing[base + at] = slot;
    flows.evRingCount[f]++;
    return;
  }
  const v = flows.evPenalty[base + slot] + penalty;
  flows.evPenalty[base + slot] = Math.min(v, MAX_PENALTY);
}
