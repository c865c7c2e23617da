/**
 * The prefill pool of disaggregated serving. A request goes to the instance with the fewest prompt tokens
 * queued or in flight (ties: lowest index); each instance serves its queue first come, first served, in
 * batches of whole prompts up to the pool's prefillTokens per replica (a longer prompt runs alone) and maxBatch
 * requests.
 *
 * When a batch ends, each request's KV goes to the decode instance with the fewest requests (ties: lowest
 * index) as soon as that instance has memory for it. With layer-wise transfer the decode instance is chosen
 * when the batch starts and, if it has memory then, the KV streams during the prefill: the flow is capped
 * at the rate prefill produces KV (bytes / prefill time) and the cap is lifted when prefill ends.
 */

import { schedule } from "../../sim/clock.js";
import { kvLanded } from "./decode-pool.js";
import { capTransfer, startKvTransfer } from "./kv-flows.js";
import { busiestReplica, clearReplicas } from "./replicas.js";
import {
  admissionLimit,
  chargeStep,
  popFront,
  pushBack,
  pushFront,
  RS,
  requestDone,
  type Sim,
} from "./serve-state.js";
import { causalPairs, stepTime } from "./step-cost.js";

/** Queues request r on the least-loaded prefill instance (at the front for a preempted request). */
export function routeToPrefill(sim: Sim, r: number, front: boolean): void {
  const p = sim.prefill;
  let best = 0;
  for (let k = 1; k < p.pool.instances; k++) if (p.load[k] < p.load[best]) best = k;
  sim.prefillInst[r] = best;
  sim.decodeInst[r] = -1;
  sim.state[r] = RS.queued;
  p.load[best] += sim.work[r];
  if (front) pushFront(p.queue, sim.next, best, r);
  else pushBack(p.queue, sim.next, best, r);
  startPrefillBatch(sim, best);
}

export function startPrefillBatch(sim: Sim, i: number): void {
  const p = sim.prefill;
  if (p.busy[i] || p.queue.head[i] < 0) return;
  const dp = p.pool.dp;
  const rep = sim.replicas;
  clearReplicas(rep, dp);
  const budget = p.pool.prefillTokens * dp;
  let tokens = 0;
  let count = 0;
  for (;;) {
    const r = p.queue.head[i];
    if (r < 0 || count >= p.pool.maxBatch || (count > 0 && tokens + sim.work[r] > budget)) break;
    popFront(p.queue, sim.next, i);
    pushBack(p.batch, sim.next, i, r);
    const w = sim.work[r];
    const j = r % dp;
    tokens += w;
    rep.tokens[j] += w;
    rep.seqs[j]++;
    rep.prefillPairs[j] += causalPairs(sim.kv[r] - w, w);
    rep.kvTokens[j] += sim.kv[r];
    count++;
    sim.state[r] = RS.prefilling;
    sim.prefillDone[r] = 0;
  }
  const bd = sim.breakdown;
  const dt = stepTime(p.cost, tokens, busiestReplica(rep, dp, sim.load), bd);
  p.busy[i] = 1;
  p.busyS[i] += dt;
  for (let r = p.batch.head[i]; r >= 0; r = sim.next[r]) {
    chargeStep(sim, r, dt);
    if (sim.transferMode === "layerwise") streamDuringPrefill(sim, r, dt);
  }
  schedule(sim.clock, sim.now + dt, sim.evPrefillDone, i);
}

/** Layer-wise: pick the decode instance now and stream while prefill runs, if it has memory for the KV. */
function streamDuringPrefill(sim: Sim, r: number, dt: number): void {
  if (sim.req.output[r] <= 1 && Number.isNaN(sim.tFirst[r])) return; // nothing to decode
  const d = chooseDecode(sim);
  sim.decodeInst[r] = d;
  sim.inst.assigned[d]++;
  const s = sim.inst;
  if (
    s.waiting.head[d] >= 0 ||
    s.used[d] + sim.kv[r] > admissionLimit(s.pool.kvCapacityTokens, s.runCount[d])
  )
    return;
  s.used[d] += sim.kv[r];
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
      if (d < 0) {
        d = chooseDecode(sim);
        sim.decodeInst[r] = d;
        sim.inst.assigned[d]++;
      }
      sim.state[r] = RS.waitTransfer;
      pushBack(sim.inst.waiting, sim.next, d, r);
      startTransfers(sim, d);
    }
  }
  startPrefillBatch(sim, i);
}

/** The decode instance with the fewest requests routed to it (ties: lowest index). */
export function chooseDecode(sim: Sim): number {
  const a = sim.inst.assigned;
  let best = 0;
  for (let k = 1; k < a.length; k++) if (a[k] < a[best]) best = k;
  return best;
}

/** Starts the KV transfers waiting on decode instance d, in order, while its memory allows. */
export function startTransfers(sim: Sim, d: number): void {
  const s = sim.inst;
  const cap = s.pool.kvCapacityTokens;
  for (;;) {
    const r = s.waiting.head[d];
    if (r < 0 || s.used[d] + sim.kv[r] > admissionLimit(cap, s.runCount[d])) return;
    popFront(s.waiting, sim.next, d);
    s.used[d] += sim.kv[r];
    startKvTransfer(sim, r, d, Number.POSITIVE_INFINITY);
  }
}
