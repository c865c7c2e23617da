/**
 * Co-located serving: each instance runs prefill and decode in the same steps (chunked prefill, as in
 * Sarathi-Serve and vLLM): every step carries one token per decoding sequence, then fills the rest of a
 * CHUNK_TOKENS budget with prompt chunks of admitted requests in admission order. A request is admitted
 * (first come, first served, to the instance with the fewest requests) when a batch slot is free and its
 * prompt fits in the KV cache; its first token comes out of the step that finishes its prompt.
 */
import {
  advanceRunning,
  finishRequest,
  joinReady,
  joinRunning,
  preemptForGrowth,
  runningReplicas,
  startStep,
  startSwapIns,
} from "./batch.js";
import { busiestReplica } from "./replicas.js";
import {
  admissionLimit,
  CHUNK_TOKENS,
  chargeStep,
  popFront,
  pushBack,
  pushFront,
  RS,
  type Sim,
} from "./serve-state.js";
import { causalPairs, stepTime } from "./step-cost.js";

export function routeColocated(sim: Sim, r: number): void {
  const a = sim.inst.assigned;
  let best = 0;
  for (let k = 1; k < a.length; k++) if (a[k] < a[best]) best = k;
  a[best]++;
  sim.prefillInst[r] = best;
  sim.decodeInst[r] = best;
  sim.state[r] = RS.queued;
  pushBack(sim.inst.waiting, sim.next, best, r);
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
  if (s.runCount[i] === 0 && s.prefilling.length[i] === 0) return;

  const n = s.runCount[i];
  const dp = s.pool.dp;
  const rep = sim.replicas;
  runningReplicas(sim, i);
  let tokens = n;
  let budget = Math.max(0, CHUNK_TOKENS * dp - n);
  for (let r = s.prefilling.head[i]; r >= 0 && budget > 0; r = sim.next[r]) {
    const c = Math.min(sim.work[r] - sim.progress[r], budget);
    const before = sim.prefix[r] + sim.progress[r];
    const j = r % dp;
    sim.chunk[r] = c;
    budget -= c;
    tokens += c;
    rep.tokens[j] += c;
    rep.prefillPairs[j] += causalPairs(before, c);
    rep.kvTokens[j] += before + c;
    if (sim.progress[r] + c === sim.work[r]) rep.seqs[j]++;
  }
  const bd = sim.breakdown;
  const dt = stepTime(s.cost, tokens, busiestReplica(rep, dp, sim.load), bd);
  for (let r = s.prefilling.head[i]; r >= 0 && sim.chunk[r] > 0; r = sim.next[r]) {
    chargeStep(sim, r, dt);
  }
  startStep(sim, i, dt);
}

/** Swapped-in sequences rejoin first; then new requests while a slot is free and the prompt fits. */
function admit(sim: Sim, i: number): void {
  const s = sim.inst;
  const max = s.pool.maxBatch;
  const cap = s.pool.kvCapacityTokens;
  joinReady(sim, i, s.prefilling.length[i]);
  while (s.runCount[i] + s.prefilling.length[i] < max) {
    const r = s.waiting.head[i];
    if (r < 0 || s.used[i] + sim.kv[r] > admissionLimit(cap, s.runCount[i])) return;
    popFront(s.waiting, sim.next, i);
    s.used[i] += sim.kv[r];
    sim.progress[r] = 0;
    sim.chunk[r] = 0;
    sim.state[r] = RS.prefilling;
    pushBack(s.prefilling, sim.next, i, r);
  }
}

export function onColocatedStepDone(sim: Sim, i: number): void {
  const s = sim.inst;
  s.busy[i] = 0;
  advanceRunning(sim, i);
  // Chunks go to a prefix of the admission order, so finished prompts are at the head.
  for (;;) {
    const r = s.prefilling.head[i];
    if (r < 0 || sim.chunk[r] === 0) break;
    sim.progress[r] += sim.chunk[r];
    sim.chunk[r] = 0;
    if (sim.progress[r] < sim.work[r]) break;
    popFront(s.prefilling, sim.next, i);
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
  startSwapIns(sim, i);
  startColocatedStep(sim, i);
}

/** A preempted sequence without room in the offload tier is recomputed: back to the head of the queue. */
function requeueLocally(sim: Sim, i: number, r: number): void {
  sim.state[r] = RS.queued;
  pushFront(sim.inst.waiting, sim.next, i, r);
}
