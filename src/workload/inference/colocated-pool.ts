/**
 * Co-located serving: each instance runs prefill and decode in the same steps (chunked prefill, as in
 * Sarathi-Serve and vLLM). A request goes to the instance with the fewest requests and, within it, to the
 * attention replica with the fewest (SGLang balances requests over the DP ranks of an instance). On every
 * replica a step carries one token per decoding sequence, then fills the rest of the pool's prefillTokens
 * budget with prompt chunks of that replica's admitted requests in admission order. A request is admitted
 * (first come, first served on its replica) when a batch slot of the instance is free and its prompt fits
 * in its replica's KV cache; its first token comes out of the step that finishes its prompt.
 */
import {
  advanceRunning,
  assignInstance,
  finishRequest,
  joinReady,
  joinRunning,
  preemptForGrowth,
  prefillingCount,
  replicaSeqs,
  runningReplicas,
  startStep,
  startSwapIns,
} from "./batch.js";
import { busiestReplica } from "./replicas.js";
import {
  admissionLimit,
  chargeStep,
  leastLoaded,
  popFront,
  pushBack,
  pushFront,
  RS,
  type Sim,
} from "./serve-state.js";
import { causalPairs, stepTime } from "./step-cost.js";

export function routeColocated(sim: Sim, r: number): void {
  const s = sim.inst;
  const best = leastLoaded(s.assigned, 0, s.pool.instances);
  assignInstance(sim, best, r);
  sim.prefillInst[r] = best;
  sim.decodeInst[r] = best;
  sim.state[r] = RS.queued;
  pushBack(s.waiting, sim.next, sim.instRep[r], r);
  startColocatedStep(sim, best);
}

/**
 * Starts instance i's next step if it is idle: the running sequences make room for their growth first
 * (preemption; freed memory goes to swap-ins first), then sequences with KV in memory join and new
 * requests are admitted, so joining never forces a preemption and the step never outgrows the cache.
 */
export function startColocatedStep(sim: Sim, i: number): void {
  const s = sim.inst;
  if (s.busy[i] || s.swapOutPending[i] > 0) return;
  if (preemptForGrowth(sim, i, requeueLocally) > 0) startSwapIns(sim, i);
  if (s.swapOutPending[i] > 0) return;
  admit(sim, i);
  if (s.runCount[i] === 0 && prefillingCount(s, i) === 0) return;
  runningReplicas(sim, i);
  let tokens = s.runCount[i];
  for (let j = 0; j < s.pool.dp; j++) tokens += planChunks(sim, i, j);
  const dt = stepTime(s.cost, tokens, busiestReplica(sim.replicas, s.pool.dp, sim.load), sim.breakdown);
  for (let q = i * s.pool.dp; q < (i + 1) * s.pool.dp; q++) {
    for (let r = s.prefilling.head[q]; r >= 0 && sim.chunk[r] > 0; r = sim.next[r]) chargeStep(sim, r, dt);
  }
  startStep(sim, i, dt);
}

/**
 * Replica j of instance i fills what its decoding sequences leave of prefillTokens with prompt chunks, in
 * admission order; adds them to its sums in `sim.replicas` and returns their tokens.
 */
function planChunks(sim: Sim, i: number, j: number): number {
  const s = sim.inst;
  const rep = sim.replicas;
  const q = i * s.pool.dp + j;
  let budget = Math.max(0, s.pool.prefillTokens - s.repRun[q]);
  let tokens = 0;
  for (let r = s.prefilling.head[q]; r >= 0 && budget > 0; r = sim.next[r]) {
    const c = Math.min(sim.work[r] - sim.progress[r], budget);
    const before = sim.prefix[r] + sim.progress[r];
    sim.chunk[r] = c;
    budget -= c;
    tokens += c;
    rep.tokens[j] += c;
    rep.prefillPairs[j] += causalPairs(before, c);
    rep.kvTokens[j] += before + c;
    if (sim.progress[r] + c === sim.work[r]) rep.seqs[j]++;
  }
  return tokens;
}

/** Swapped-in sequences rejoin first; then new requests while a slot is free and the prompt fits. */
function admit(sim: Sim, i: number): void {
  const s = sim.inst;
  joinReady(sim, i, prefillingCount(s, i));
  while (s.runCount[i] + prefillingCount(s, i) < s.pool.maxBatch) {
    const q = admissibleReplica(sim, i);
    if (q < 0) return;
    const r = popFront(s.waiting, sim.next, q);
    s.used[q] += sim.kv[r];
    sim.progress[r] = 0;
    sim.chunk[r] = 0;
    sim.state[r] = RS.prefilling;
    pushBack(s.prefilling, sim.next, q, r);
  }
}

/** The replica of instance i whose next waiting prompt fits its memory, with the fewest sequences; -1 if none. */
function admissibleReplica(sim: Sim, i: number): number {
  const s = sim.inst;
  let best = -1;
  for (let q = i * s.pool.dp; q < (i + 1) * s.pool.dp; q++) {
    const r = s.waiting.head[q];
    if (r < 0 || s.used[q] + sim.kv[r] > admissionLimit(s.replicaCapacity, s.repRun[q])) continue;
    if (best < 0 || replicaSeqs(s, q) < replicaSeqs(s, best)) best = q;
  }
  return best;
}

export function onColocatedStepDone(sim: Sim, i: number): void {
  const s = sim.inst;
  s.busy[i] = 0;
  advanceRunning(sim, i);
  for (let q = i * s.pool.dp; q < (i + 1) * s.pool.dp; q++) finishChunks(sim, i, q);
  startSwapIns(sim, i);
  startColocatedStep(sim, i);
}

/** The step's chunks on replica q are done; prompts now complete give their first token and join. */
function finishChunks(sim: Sim, i: number, q: number): void {
  const s = sim.inst;
  // Chunks go to a prefix of the admission order, so finished prompts are at the head.
  for (;;) {
    const r = s.prefilling.head[q];
    if (r < 0 || sim.chunk[r] === 0) return;
    sim.progress[r] += sim.chunk[r];
    sim.chunk[r] = 0;
    if (sim.progress[r] < sim.work[r]) return;
    popFront(s.prefilling, sim.next, q);
    if (Number.isNaN(sim.tFirst[r])) {
      sim.tPrefillEnd[r] = sim.now;
      sim.tFirst[r] = sim.now;
      sim.generated[r] = 1;
      if (sim.req.output[r] <= 1) {
        finishRequest(sim, i, r);
        continue;
      }
    }
    joinRunning(sim, i, r);
  }
}

/** A preempted sequence without room in the offload tier is recomputed: back to the head of its replica's queue. */
function requeueLocally(sim: Sim, _i: number, r: number): void {
  sim.state[r] = RS.queued;
  pushFront(sim.inst.waiting, sim.next, sim.instRep[r], r);
}
