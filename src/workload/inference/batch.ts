/**
 * The running batch of a decode (or co-located) instance: joining, finishing, and preemption when the KV
 * cache cannot grow by one token per sequence. Preemption takes the sequence that joined last (vLLM's
 * policy) and either swaps its KV out to the offload tier, when there is one with room, or drops it to be
 * recomputed (prefilled again from its prompt and the tokens it already produced).
 *
 * Each attention replica holds the KV of its own sequences (`sim.instRep`), so memory is checked, grown and
 * freed by preemption per replica. Batch slots (`maxBatch`) are the instance's, as SGLang's
 * `--max-running-requests` is the server's: a free slot goes to the replica with the fewest sequences.
 *
 * Network and compute accounting per request uses the instance's running sums: a request's share of the
 * steps it ran in is the sum at its leaving minus the sum at its joining, O(1) per request.
 */
import { schedule } from "../../sim/clock.js";
import { offloadHasRoom, startSwapIn, startSwapOut } from "./kv-flows.js";
import { clearReplicas } from "./replicas.js";
import {
  admitQueued,
  type InstanceState,
  leastLoaded,
  popFront,
  pushFront,
  RS,
  requestDone,
  type Sim,
} from "./serve-state.js";

/** Routes request r to instance i's replica with the fewest requests (SGLang's DP-rank balancing). */
export function assignInstance(sim: Sim, i: number, r: number): void {
  const s = sim.inst;
  const q = leastLoaded(s.repAssigned, i * s.pool.dp, s.pool.dp);
  s.assigned[i]++;
  s.repAssigned[q]++;
  sim.instRep[r] = q;
}

/** Request r no longer counts toward instance i's load (finished, or sent back to prefill). */
export function unassign(sim: Sim, i: number, r: number): void {
  sim.inst.assigned[i]--;
  sim.inst.repAssigned[sim.instRep[r]]--;
}

/** Sequences replica q holds in batch slots: running and (co-located) prefilling. */
export function replicaSeqs(s: InstanceState, q: number): number {
  return s.repRun[q] + s.prefilling.length[q];
}

/** Sequences instance i's prompts being prefilled take (co-located). */
export function prefillingCount(s: InstanceState, i: number): number {
  let n = 0;
  for (let q = i * s.pool.dp; q < (i + 1) * s.pool.dp; q++) n += s.prefilling.length[q];
  return n;
}

/**
 * Sequences whose KV is in memory (landed or swapped back) join the running batch at a step boundary, in
 * order on each replica, while a slot is free (`others`: slots taken outside the running set, the
 * co-located prompts being prefilled) and their replica can still grow by one token per sequence. A
 * sequence the next step's growth would preempt at once keeps waiting with its KV in place instead of
 * being thrown out and recomputed.
 */
export function joinReady(sim: Sim, i: number, others: number): void {
  const s = sim.inst;
  while (s.runCount[i] + others < s.pool.maxBatch) {
    const q = readyReplica(sim, i);
    if (q < 0) return;
    joinRunning(sim, i, popFront(s.ready, sim.next, q));
  }
}

/** The replica of instance i whose next ready sequence fits, with the fewest sequences; -1 if none. */
function readyReplica(sim: Sim, i: number): number {
  const s = sim.inst;
  let best = -1;
  for (let q = i * s.pool.dp; q < (i + 1) * s.pool.dp; q++) {
    if (s.ready.head[q] < 0 || s.used[q] + s.repRun[q] + 1 > s.replicaCapacity) continue;
    if (best < 0 || replicaSeqs(s, q) < replicaSeqs(s, best)) best = q;
  }
  return best;
}

/** A step is starting: the running sequences' KV grows by one token each (never past the capacity). */
export function growForStep(sim: Sim, i: number): void {
  const s = sim.inst;
  for (let q = i * s.pool.dp; q < (i + 1) * s.pool.dp; q++) {
    s.used[q] += s.repRun[q];
    if (s.used[q] > s.peakUsed[q]) s.peakUsed[q] = s.used[q];
  }
}

/**
 * Instance i starts a step of `dt` seconds whose parts are in `sim.breakdown`: its running sequences' KV
 * grows, its running sums and busy time take the step, and the step's end is scheduled.
 */
export function startStep(sim: Sim, i: number, dt: number): void {
  const s = sim.inst;
  const bd = sim.breakdown;
  growForStep(sim, i);
  s.cumCompute[i] += bd.compute;
  s.cumTp[i] += bd.tp;
  s.cumEp[i] += bd.ep;
  s.busyS[i] += dt;
  s.busy[i] = 1;
  schedule(sim.clock, sim.now + dt, sim.evStepDone, i);
}

/** Per-replica sums of instance i's running sequences (one decode token each) into the scratch. */
export function runningReplicas(sim: Sim, i: number): void {
  const s = sim.inst;
  const dp = s.pool.dp;
  const rep = sim.replicas;
  clearReplicas(rep, dp);
  for (let j = 0; j < dp; j++) {
    const n = s.repRun[i * dp + j];
    const ctx = s.repCtx[i * dp + j];
    rep.tokens[j] = n;
    rep.seqs[j] = n;
    rep.decodePairs[j] = ctx;
    rep.kvTokens[j] = ctx + n;
  }
}

export function joinRunning(sim: Sim, i: number, r: number): void {
  const s = sim.inst;
  s.running[i * s.pool.maxBatch + s.runCount[i]++] = r;
  s.ctxSum[i] += sim.kv[r];
  const q = sim.instRep[r];
  s.repRun[q]++;
  s.repCtx[q] += sim.kv[r];
  sim.state[r] = RS.running;
  sim.joinSeq[r] = sim.joinCounter++;
  sim.decCompute[r] -= s.cumCompute[i];
  sim.decTp[r] -= s.cumTp[i];
  sim.decEp[r] -= s.cumEp[i];
}

/** Removes the sequence in running slot `slot` of instance i (swap with the last); returns it. */
function removeAt(sim: Sim, i: number, slot: number): number {
  const s = sim.inst;
  const base = i * s.pool.maxBatch;
  const r = s.running[base + slot];
  s.running[base + slot] = s.running[base + --s.runCount[i]];
  s.ctxSum[i] -= sim.kv[r];
  const q = sim.instRep[r];
  s.repRun[q]--;
  s.repCtx[q] -= sim.kv[r];
  sim.decCompute[r] += s.cumCompute[i];
  sim.decTp[r] += s.cumTp[i];
  sim.decEp[r] += s.cumEp[i];
  return r;
}

/** The request is complete: frees its KV. */
export function finishRequest(sim: Sim, i: number, r: number): void {
  sim.inst.used[sim.instRep[r]] -= sim.kv[r];
  unassign(sim, i, r);
  requestDone(sim, r);
}

/** After a step: every running sequence has one more token; the finished ones leave. */
export function advanceRunning(sim: Sim, i: number): void {
  const s = sim.inst;
  const base = i * s.pool.maxBatch;
  const out = sim.req.output;
  s.ctxSum[i] += s.runCount[i];
  const dp = s.pool.dp;
  for (let j = i * dp; j < (i + 1) * dp; j++) s.repCtx[j] += s.repRun[j];
  for (let slot = s.runCount[i] - 1; slot >= 0; slot--) {
    const r = s.running[base + slot];
    sim.kv[r]++;
    if (++sim.generated[r] >= out[r]) {
      removeAt(sim, i, slot);
      finishRequest(sim, i, r);
    }
  }
}

/**
 * Preempts, on each replica of instance i, its latest-joined sequences until one more token per sequence
 * fits its memory; `requeue` takes recomputed ones. Returns how many were preempted (their memory is free
 * again).
 */
export function preemptForGrowth(
  sim: Sim,
  i: number,
  requeue: (sim: Sim, i: number, r: number) => void,
): number {
  const s = sim.inst;
  let preempted = 0;
  for (let q = i * s.pool.dp; q < (i + 1) * s.pool.dp; q++) {
    while (s.repRun[q] > 0 && s.used[q] + s.repRun[q] > s.replicaCapacity) {
      preempt(sim, i, latestJoined(sim, i, q), requeue);
      preempted++;
    }
  }
  return preempted;
}

/** The running slot of instance i holding replica q's latest-joined sequence (vLLM's victim). */
function latestJoined(sim: Sim, i: number, q: number): number {
  const s = sim.inst;
  const base = i * s.pool.maxBatch;
  let slot = -1;
  for (let k = 0; k < s.runCount[i]; k++) {
    const r = s.running[base + k];
    if (sim.instRep[r] !== q) continue;
    if (slot < 0 || sim.joinSeq[r] > sim.joinSeq[s.running[base + slot]]) slot = k;
  }
  return slot;
}

/** Takes running slot `slot` of instance i out: swapped out when the offload tier has room, else recomputed. */
function preempt(sim: Sim, i: number, slot: number, requeue: (sim: Sim, i: number, r: number) => void): void {
  const r = removeAt(sim, i, slot);
  sim.inst.used[sim.instRep[r]] -= sim.kv[r];
  sim.preemptions[r]++;
  sim.preemptionCount++;
  if (offloadHasRoom(sim, sim.kv[r] * sim.kvBytesPerToken)) {
    sim.inst.swapOutPending[i]++;
    startSwapOut(sim, r, i);
  } else {
    sim.recomputeCount++;
    sim.work[r] = sim.kv[r] - sim.prefix[r];
    sim.progress[r] = 0;
    requeue(sim, i, r);
  }
}

/** Brings swapped-out sequences back, on each replica while its memory allows (one step of growth kept free). */
export function startSwapIns(sim: Sim, i: number): void {
  admitQueued(sim, sim.inst.swapped, i, (r) => startSwapIn(sim, r, i));
}

/** A swap-in landed: the sequence rejoins ahead of the queue. */
export function swapInLanded(sim: Sim, r: number): void {
  sim.state[r] = RS.ready;
  pushFront(sim.inst.ready, sim.next, sim.instRep[r], r);
}
