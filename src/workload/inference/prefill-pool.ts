/**
 * The prefill pool of disaggregated serving. A request goes to the instance with the fewest prompt tokens
 * queued or in flight (ties: lowest index), and within it to the attention replica with the fewest queued
 * (SGLang balances requests over the DP ranks of an instance; the batch in flight ends on every replica
 * at once, so only queued tokens hold the next one back). Each replica serves its queue first come, first
 * served; an instance's replicas run one batch together, each taking whole prompts up to the pool's
 * prefillTokens (a longer prompt runs alone on its replica), maxBatch requests in all.
 *
 * When a batch ends, each request's KV goes to the decode instance with the fewest requests (ties: lowest
 * index), to its replica with the fewest, as soon as that replica has memory for it. With layer-wise transfer the decode instance is chosen
 * when the batch starts and, if it has memory then, the KV streams during the prefill: the flow is capped
 * at the rate prefill produces KV (bytes / prefill time) and the cap is lifted when prefill ends.
 */

import { schedule } from "../../sim/clock.js";
import { assignInstance } from "./batch.js";
import { kvLanded } from "./decode-pool.js";
import { capTransfer, startKvTransfer } from "./kv-flows.js";
import { busiestReplica, clearReplicas } from "./replicas.js";
import {
  admissionLimit,
  admitQueued,
  chargeStep,
  leastLoaded,
  popFront,
  pushBack,
  pushFront,
  RS,
  requestDone,
  type Sim,
} from "./serve-state.js";
import { causalPairs, stepTime } from "./step-cost.js";

/** Queues request r on the replica with the fewest queued tokens of the least-loaded prefill instance (a preempted request at the front). */
export function routeToPrefill(sim: Sim, r: number, front: boolean): void {
  const p = sim.prefill;
  const dp = p.pool.dp;
  const best = leastLoaded(p.load, 0, p.pool.instances);
  const q = leastLoaded(p.repQueued, best * dp, dp);
  sim.prefillInst[r] = best;
  sim.prefillRep[r] = q;
  sim.decodeInst[r] = -1;
  sim.instRep[r] = -1;
  sim.state[r] = RS.queued;
  p.load[best] += sim.work[r];
  p.repQueued[q] += sim.work[r];
  if (front) pushFront(p.queue, sim.next, q, r);
  else pushBack(p.queue, sim.next, q, r);
  startPrefillBatch(sim, best);
}

export function startPrefillBatch(sim: Sim, i: number): void {
  const p = sim.prefill;
  if (p.busy[i] || !hasQueued(sim, i)) return;
  const rep = sim.replicas;
  clearReplicas(rep, p.pool.dp);
  const tokens = fillBatch(sim, i);
  const bd = sim.breakdown;
  const dt = stepTime(p.cost, tokens, busiestReplica(rep, p.pool.dp, sim.load), bd);
  p.busy[i] = 1;
  p.busyS[i] += dt;
  for (let r = p.batch.head[i]; r >= 0; r = sim.next[r]) {
    chargeStep(sim, r, dt);
    if (sim.transferMode === "layerwise") streamDuringPrefill(sim, r, dt);
  }
  schedule(sim.clock, sim.now + dt, sim.evPrefillDone, i);
}

function hasQueued(sim: Sim, i: number): boolean {
  const p = sim.prefill;
  for (let q = i * p.pool.dp; q < (i + 1) * p.pool.dp; q++) if (p.queue.head[q] >= 0) return true;
  return false;
}

/**
 * Fills instance i's batch from its replicas' queues, one prompt per replica per round so that maxBatch is
 * shared among them; a replica stops at the first prompt that would take it past prefillTokens. Returns
 * the batch's tokens; the per-replica sums are left in `sim.replicas`.
 */
function fillBatch(sim: Sim, i: number): number {
  const p = sim.prefill;
  const { dp, maxBatch, prefillTokens } = p.pool;
  const rep = sim.replicas;
  let tokens = 0;
  let count = 0;
  for (let took = true; took && count < maxBatch; ) {
    took = false;
    for (let j = 0; j < dp && count < maxBatch; j++) {
      const r = p.queue.head[i * dp + j];
      if (r < 0 || (rep.seqs[j] > 0 && rep.tokens[j] + sim.work[r] > prefillTokens)) continue;
      popFront(p.queue, sim.next, i * dp + j);
      p.repQueued[i * dp + j] -= sim.work[r];
      addToBatch(sim, i, j, r);
      tokens += sim.work[r];
      count++;
      took = true;
    }
  }
  return tokens;
}

/** Request r joins instance i's batch on replica j. */
function addToBatch(sim: Sim, i: number, j: number, r: number): void {
  const rep = sim.replicas;
  const w = sim.work[r];
  pushBack(sim.prefill.batch, sim.next, i, r);
  rep.tokens[j] += w;
  rep.seqs[j]++;
  rep.prefillPairs[j] += causalPairs(sim.kv[r] - w, w);
  rep.kvTokens[j] += sim.kv[r];
  sim.state[r] = RS.prefilling;
  sim.prefillDone[r] = 0;
}

/** Layer-wise: pick the decode instance now and stream while prefill runs, if it has memory for the KV. */
function streamDuringPrefill(sim: Sim, r: number, dt: number): void {
  if (sim.req.output[r] <= 1 && Number.isNaN(sim.tFirst[r])) return; // nothing to decode
  const d = assignDecode(sim, r);
  const s = sim.inst;
  const q = sim.instRep[r];
  if (s.waiting.head[q] >= 0 || s.used[q] + sim.kv[r] > admissionLimit(s.replicaCapacity, s.repRun[q]))
    return;
  s.used[q] += sim.kv[r];
  startKvTransfer(sim, r, d, (sim.work[r] * sim.kvBytesPerToken) / dt);
}

export function onPrefillDone(sim: Sim, i: number): void {
  const p = sim.prefill;
  p.busy[i] = 0;
  for (;;) {
    const r = popFront(p.batch, sim.next, i);
    if (r < 0) break;
    p.load[i] -= sim.work[r];
    sim.prefillDone[r] = 1;
    const first = Number.isNaN(sim.tFirst[r]);
    if (first) {
      sim.tPrefillEnd[r] = sim.now;
      sim.generated[r] = 1; // prefill produces the first token
      if (sim.req.output[r] <= 1) {
        sim.tFirst[r] = sim.now;
        requestDone(sim, r);
        continue;
      }
    }
    if (sim.state[r] === RS.transferring) {
      capTransfer(sim, r, Number.POSITIVE_INFINITY);
    } else if (sim.streamDone[r]) {
      kvLanded(sim, r);
    } else {
      let d = sim.decodeInst[r];
      if (d < 0) d = assignDecode(sim, r);
      sim.state[r] = RS.waitTransfer;
      pushBack(sim.inst.waiting, sim.next, sim.instRep[r], r);
      startTransfers(sim, d);
    }
  }
  startPrefillBatch(sim, i);
}

/** Routes request r to the decode instance with the fewest requests (ties: lowest index) and its least-loaded replica. */
function assignDecode(sim: Sim, r: number): number {
  const d = leastLoaded(sim.inst.assigned, 0, sim.inst.pool.instances);
  sim.decodeInst[r] = d;
  assignInstance(sim, d, r);
  return d;
}

/** Starts the KV transfers waiting on decode instance d, in order on each replica, while its memory allows. */
export function startTransfers(sim: Sim, d: number): void {
  admitQueued(sim, sim.inst.waiting, d, (r) => startKvTransfer(sim, r, d, Number.POSITIVE_INFINITY));
}
