/**
 * The serving simulation's event loop. Three sources of events, merged in time order: request arrivals
 * (read from the sorted request table, never queued), the network (the earliest flow completion of the
 * incremental transfer model) and the event queue (prefill batches and steps ending, flows landing).
 * At equal times the network goes first, then queued events in push order, then arrivals, so a run is
 * deterministic.
 */
import { keyError, WeftError } from "../../errors.js";
import { peekTime, popEvent, pushEvent } from "../../sim/event-queue.js";
import { formatCount } from "../../units/format.js";
import { startSwapIns, swapInLanded } from "./batch.js";
import { onColocatedStepDone, routeColocated, startColocatedStep } from "./colocated-pool.js";
import { kvLanded, onDecodeStepDone, startDecodeStep } from "./decode-pool.js";
import { onPrefillDone, routeToPrefill, startTransfers } from "./prefill-pool.js";
import { EV, pushBack, RS, type Sim, XFER } from "./serve-state.js";
import { popCompleted, settle } from "./transfers.js";

export interface ServeStats {
  events: number;
  /** Simulated seconds until the last request finished. */
  endS: number;
}

export function runServing(sim: Sim): ServeStats {
  const { req, net, q } = sim;
  let next = 0;
  let events = 0;
  for (;;) {
    if (net.dirty) settle(net, sim.now);
    const tArrival = next < req.count ? req.arrival[next] : Number.POSITIVE_INFINITY;
    const tQueue = peekTime(q);
    const tNet = net.nextTime;
    const t = Math.min(tArrival, tQueue, tNet);
    if (t === Number.POSITIVE_INFINITY) break;
    sim.now = t;
    events++;
    if (tNet <= tQueue && tNet <= tArrival) {
      networkCompletions(sim, t);
    } else if (tQueue <= tArrival) {
      popEvent(q);
      dispatch(sim, q.topA, q.topB);
    } else {
      arrive(sim, next++);
    }
  }
  checkAllFinished(sim);
  return { events, endS: sim.now };
}

const STATE_NAMES = [
  "not arrived",
  "queued for prefill or admission",
  "prefilling",
  "waiting for decode memory to start its KV transfer",
  "transferring its KV",
  "holding its KV, waiting for a batch slot",
  "running",
  "swapping out",
  "swapped out, waiting for memory to come back",
  "swapping in",
  "done",
];

/**
 * With no event left every request must be done; one that is not would be silently missing from the
 * results, so the run stops with the state it was stuck in (a scheduling bug, not a property of the load).
 */
export function checkAllFinished(sim: Sim): void {
  let stuck = -1;
  let count = 0;
  for (let r = 0; r < sim.n; r++) {
    if (sim.state[r] === RS.done) continue;
    if (stuck < 0) stuck = r;
    count++;
  }
  if (stuck < 0) return;
  const s = sim.inst;
  const i = sim.decodeInst[stuck];
  const where =
    i >= 0
      ? ` on ${s.pool.role} instance ${i} (${formatCount(s.used[i])} of ${formatCount(s.pool.kvCapacityTokens)} KV ` +
        `tokens in use, ${s.runCount[i]} of ${s.pool.maxBatch} batch slots running)`
      : "";
  throw keyError(
    "workload.inference.requests",
    `the serving simulation stalled at ${sim.now} s with ${formatCount(count)} of ` +
      `${formatCount(sim.n)} requests unfinished; request ${stuck} (${formatCount(sim.kv[stuck])} KV tokens, ` +
      `${formatCount(sim.generated[stuck])} of ${formatCount(sim.req.output[stuck])} output tokens) is ` +
      `${STATE_NAMES[sim.state[stuck]]}${where}; expected requests that fit the instances' KV cache and batch`,
  );
}

function networkCompletions(sim: Sim, t: number): void {
  const n = popCompleted(sim.net, t, sim.doneOwners, sim.doneLands);
  if (n === 0) {
    throw new WeftError(`internal: the transfer model predicted a completion at ${t} s that did not happen`);
  }
  for (let k = 0; k < n; k++) pushEvent(sim.q, sim.doneLands[k], EV.flowLanded, sim.doneOwners[k]);
}

function arrive(sim: Sim, r: number): void {
  sim.kv[r] = sim.req.prompt[r];
  if (sim.colocated) routeColocated(sim, r);
  else routeToPrefill(sim, r, false);
}

function dispatch(sim: Sim, kind: number, id: number): void {
  if (kind === EV.prefillDone) onPrefillDone(sim, id);
  else if (kind === EV.stepDone) {
    if (sim.colocated) onColocatedStepDone(sim, id);
    else onDecodeStepDone(sim, id);
  } else if (kind === EV.flowLanded) {
    if (--sim.flowsLeft[id] === 0) transferLanded(sim, id);
  }
}

/** The last flow of request r's transfer landed. */
function transferLanded(sim: Sim, r: number): void {
  const kind = sim.xferKind[r];
  if (kind === XFER.kv) {
    if (!sim.prefillDone[r]) {
      // a layer-wise stream can only finish with its prefill; wait for the batch to end
      sim.streamDone[r] = 1;
      sim.state[r] = RS.prefilling;
      return;
    }
    kvLanded(sim, r);
    return;
  }
  const i = sim.decodeInst[r];
  sim.decXfer[r] += sim.now - sim.xferStart[r];
  if (kind === XFER.swapOut) {
    sim.state[r] = RS.swapped;
    pushBack(sim.inst.swapped, sim.next, i, r);
    sim.inst.swapOutPending[i]--;
    startSwapIns(sim, i);
  } else {
    swapInLanded(sim, i, r);
  }
  if (sim.colocated) startColocatedStep(sim, i);
  else {
    startTransfers(sim, i);
    startDecodeStep(sim, i);
  }
}
