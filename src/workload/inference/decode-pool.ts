/**
 * Decode instances of disaggregated serving: continuous batching (a sequence joins at the next step
 * boundary once its KV has landed and a batch slot is free, up to maxBatch), one token per running
 * sequence per step, the KV cache growing by one token per sequence per step, preemption when it cannot.
 * Queues, memory and preemption are per attention replica (batch.ts).
 */
import {
  advanceRunning,
  joinReady,
  preemptForGrowth,
  runningReplicas,
  startStep,
  startSwapIns,
  unassign,
} from "./batch.js";
import { routeToPrefill, startTransfers } from "./prefill-pool.js";
import { busiestReplica } from "./replicas.js";
import { pushBack, RS, type Sim } from "./serve-state.js";
import { stepTime } from "./step-cost.js";

/** Request r's KV is on its decode instance: the first token is delivered (first pass) and it may join. */
export function kvLanded(sim: Sim, r: number): void {
  const d = sim.decodeInst[r];
  if (Number.isNaN(sim.tFirst[r])) {
    sim.tKvEnd[r] = sim.now;
    sim.tFirst[r] = sim.now;
    // the transfer time not hidden under prefill (waiting for decode memory before it started is queueing)
    sim.kvExposed[r] = sim.now - Math.max(sim.tKvStart[r], sim.tPrefillEnd[r]);
  } else {
    sim.decXfer[r] += sim.now - sim.xferStart[r];
  }
  sim.state[r] = RS.ready;
  pushBack(sim.inst.ready, sim.next, sim.instRep[r], r);
  startDecodeStep(sim, d);
}

/**
 * Starts instance d's next step if it is idle. Order matters: the running sequences make room for their
 * growth first (preemption), then ready sequences join while their growth fits, then the memory freed by
 * preemption goes to swap-ins and waiting transfers. Joining after preemption keeps an instance whose
 * whole batch was preempted from going idle with sequences ready to run.
 */
export function startDecodeStep(sim: Sim, d: number): void {
  const s = sim.inst;
  if (s.busy[d] || s.swapOutPending[d] > 0) return;
  const preempted = preemptForGrowth(sim, d, requeueForRecompute);
  if (s.swapOutPending[d] === 0) joinReady(sim, d, 0);
  if (preempted > 0) {
    startSwapIns(sim, d);
    startTransfers(sim, d);
  }
  if (s.swapOutPending[d] > 0 || s.runCount[d] === 0) return;
  const n = s.runCount[d];
  const bd = sim.breakdown;
  runningReplicas(sim, d);
  const dt = stepTime(s.cost, n, busiestReplica(sim.replicas, s.pool.dp, sim.load), bd);
  startStep(sim, d, dt);
}

export function onDecodeStepDone(sim: Sim, d: number): void {
  sim.inst.busy[d] = 0;
  advanceRunning(sim, d);
  startSwapIns(sim, d);
  startTransfers(sim, d);
  startDecodeStep(sim, d);
}

/** A preempted sequence without room in the offload tier is prefilled again and its KV re-sent. */
function requeueForRecompute(sim: Sim, d: number, r: number): void {
  unassign(sim, d, r);
  routeToPrefill(sim, r, true);
}
