/**
 * The running batch of a decode (or co-located) instance: joining, finishing, and preemption when the KV
 * cache cannot grow by one token per sequence. Preemption takes the sequence that joined last (vLLM's
 * policy) and either swaps its KV out to the offload tier, when there is one with room, or drops it to be
 * recomputed (prefilled again from its prompt and the tokens it already produced).
 *
 * Network and compute accounting per request uses the instance's running sums: a request's share of the
 * steps it ran in is the sum at its leaving minus the sum at its joining, O(1) per request.
 */
import { schedule } from "../../sim/clock.js";
import { offloadHasRoom, startSwapIn, startSwapOut } from "./kv-flows.js";
import { clearReplicas } from "./replicas.js";
import { admissionLimit, popFront, pushFront, RS, requestDone, type Sim } from "./serve-state.js";

/**
 * Sequences whose KV is in memory (landed or swapped back) join the running batch at a step boundary, in
 * order, while a slot is free (`others`: slots taken outside the running set, the co-located prompts being
 * prefilled) and the batch can still grow by one token per sequence. A sequence the next step's growth
 * would preempt at once keeps waiting with its KV in place instead of being thrown out and recomputed.
 */
export function joinReady(sim: Sim, i: number, others: number): void {
  const s = sim.inst;
  const cap = s.pool.kvCapacityTokens;
  while (
    s.runCount[i] + others < s.pool.maxBatch &&
    s.ready.head[i] >= 0 &&
    s.used[i] + s.runCount[i] + 1 <= cap
  ) {
    joinRunning(sim, i, popFront(s.ready, sim.next, i));
  }
}

/** A step is starting: the running sequences' KV grows by one token each (never past the capacity). */
export function growForStep(sim: Sim, i: number): void {
  const s = sim.inst;
  s.used[i] += s.runCount[i];
  if (s.used[i] > s.peakUsed[i]) s.peakUsed[i] = s.used[i];
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
  const j = i * s.pool.dp + (r % s.pool.dp);
  s.repRun[j]++;
  s.repCtx[j] += sim.kv[r];
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
  const j = i * s.pool.dp + (r % s.pool.dp);
  s.repRun[j]--;
  s.repCtx[j] -= sim.kv[r];
  sim.decCompute[r] += s.cumCompute[i];
  sim.decTp[r] += s.cumTp[i];
  sim.decEp[r] += s.cumEp[i];
  return r;
}

/** The request is complete: frees its KV. */
export function finishRequest(sim: Sim, i: number, r: number): void {
  sim.inst.used[i] -= sim.kv[r];
  sim.inst.assigned[i]--;
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
 * Preempts the latest-joined sequences until one more token per sequence fits; `requeue` takes recomputed
 * ones. Returns how many were preempted (their memory is free again).
 */
export function preemptForGrowth(
  sim: Sim,
  i: number,
  requeue: (sim: Sim, i: number, r: number) => void,
): number {
  const s = sim.inst;
  const cap = s.pool.kvCapacityTokens;
  const base = i * s.pool.maxBatch;
  let preempted = 0;
  while (s.runCount[i] > 0 && s.used[i] + s.runCount[i] > cap) {
    let slot = 0;
    for (let k = 1; k < s.runCount[i]; k++) {
      if (sim.joinSeq[s.running[base + k]] > sim.joinSeq[s.running[base + slot]]) slot = k;
    }
    const r = removeAt(sim, i, slot);
    s.used[i] -= sim.kv[r];
    sim.preemptions[r]++;
    sim.preemptionCount++;
    preempted++;
    if (offloadHasRoom(sim, sim.kv[r] * sim.kvBytesPerToken)) {
      s.swapOutPending[i]++;
      startSwapOut(sim, r, i);
    } else {
      sim.recomputeCount++;
      sim.work[r] = sim.kv[r] - sim.prefix[r];
      sim.progress[r] = 0;
      requeue(sim, i, r);
    }
  }
  return preempted;
}

/** Brings swapped-out sequences back while memory allows (one step of growth kept free). */
export function startSwapIns(sim: Sim, i: number): void {
  const s = sim.inst;
  const cap = s.pool.kvCapacityTokens;
  for (;;) {
    const r = s.swapped.head[i];
    if (r < 0 || s.used[i] + sim.kv[r] > admissionLimit(cap, s.runCount[i])) return;
    popFront(s.swapped, sim.next, i);
    s.used[i] += sim.kv[r];
    startSwapIn(sim, r, i);
  }
}

/** A swap-in landed: the sequence rejoins ahead of the queue. */
export function swapInLanded(sim: Sim, i: number, r: number): void {
  sim.state[r] = RS.ready;
  pushFront(sim.inst.ready, sim.next, i, r);
}
