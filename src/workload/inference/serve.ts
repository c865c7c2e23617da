/**
 * The serving simulation's events, on the shared clock (src/sim/clock.ts): request arrivals (one pending at
 * a time: when request k arrives, request k+1's arrival is scheduled), prefill batches and steps ending
 * (handlers registered once, addressed by instance), and transfers landing (a FlowGroup's `done` on the
 * shared network). Events at one time run in the order they were pushed, so a run is deterministic.
 */
import { keyError } from "../../errors.js";
import { registerHandler, schedule } from "../../sim/clock.js";
import { formatCount } from "../../units/format.js";
import { startSwapIns, swapInLanded } from "./batch.js";
import { onColocatedStepDone, routeColocated, startColocatedStep } from "./colocated-pool.js";
import { kvLanded, onDecodeStepDone, startDecodeStep } from "./decode-pool.js";
import { onPrefillDone, routeToPrefill, startTransfers } from "./prefill-pool.js";
import { instanceUsed, pushBack, RS, type Sim, XFER } from "./serve-state.js";

/**
 * Registers the service's handlers on its clock and schedules the first arrival (at startS + its arrival
 * time). The clock's runner does the rest; `sim.done` fires when the last request has finished.
 */
export function startServing(sim: Sim): void {
  const { clock } = sim;
  const arrival = registerHandler(clock, (r) => {
    sim.now = clock.now;
    sim.events++;
    arrive(sim, r);
    if (r + 1 < sim.n) schedule(clock, sim.startS + sim.req.arrival[r + 1], arrival, r + 1);
  });
  sim.evPrefillDone = registerHandler(clock, (i) => {
    sim.now = clock.now;
    sim.events++;
    onPrefillDone(sim, i);
  });
  sim.evStepDone = registerHandler(
    clock,
    sim.colocated
      ? (i) => {
          sim.now = clock.now;
          sim.events++;
          onColocatedStepDone(sim, i);
        }
      : (i) => {
          sim.now = clock.now;
          sim.events++;
          onDecodeStepDone(sim, i);
        },
  );
  sim.onLanded = (r) => {
    sim.now = clock.now;
    sim.events++;
    transferLanded(sim, r);
  };
  if (sim.n > 0) schedule(clock, sim.startS + sim.req.arrival[0], arrival, 0);
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
 * Times are the service's (from its start).
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
      ? ` on ${s.pool.role} instance ${i} (${formatCount(instanceUsed(s, i))} of ${formatCount(s.pool.kvCapacityTokens)} KV ` +
        `tokens in use, ${s.runCount[i]} of ${s.pool.maxBatch} batch slots running)`
      : "";
  throw keyError(
    "workload.inference.requests",
    `the serving simulation stalled at ${sim.now - sim.startS} s with ${formatCount(count)} of ` +
      `${formatCount(sim.n)} requests unfinished; request ${stuck} (${formatCount(sim.kv[stuck])} KV tokens, ` +
      `${formatCount(sim.generated[stuck])} of ${formatCount(sim.req.output[stuck])} output tokens) is ` +
      `${STATE_NAMES[sim.state[stuck]]}${where}; expected requests that fit the instances' KV cache and batch`,
  );
}

function arrive(sim: Sim, r: number): void {
  sim.kv[r] = sim.req.prompt[r];
  if (sim.colocated) routeColocated(sim, r);
  else routeToPrefill(sim, r, false);
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
    pushBack(sim.inst.swapped, sim.next, sim.instRep[r], r);
    sim.inst.swapOutPending[i]--;
    startSwapIns(sim, i);
  } else {
    swapInLanded(sim, r);
  }
  if (sim.colocated) startColocatedStep(sim, i);
  else {
    startTransfers(sim, i);
    startDecodeStep(sim, i);
  }
}
