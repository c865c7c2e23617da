/**
 * State of the serving simulation, struct-of-arrays: one typed-array entry per request and per instance,
 * allocated once, so 100,000 requests cost a few megabytes and nothing is allocated per event but a
 * transfer's flow group (and what the network keeps per flow).
 *
 * Queues are intrusive FIFO lists: a request waits in at most one queue at a time, so one `next` array
 * links every queue; each queue is a (head, tail, length) triple per attention replica (replica j of
 * instance i at index i·dp + j): each replica schedules its own requests and holds their KV, as each DP
 * rank of SGLang's DP attention runs its own scheduler over its own KV cache.
 */
import type { Clock } from "../../sim/clock.js";
import type { Network } from "../../sim/network/types.js";
import { fire, makeSignal, type Signal } from "../../sim/process.js";
import type { Fabric } from "../../topology/fabric.js";
import type { PoolPlan } from "./pools.js";
import { makeReplicaScratch, type ReplicaScratch } from "./replicas.js";
import type { RequestTable } from "./requests.js";
import { makeReplicaLoad, type ReplicaLoad, type StepBreakdown, type StepCost } from "./step-cost.js";

/**
 * Share of a replica's KV cache kept free when admitting new work (vLLM's block-manager watermark,
 * default 0.01), so a just-preempted sequence is not readmitted into the space it left.
 */
export const KV_WATERMARK = 0.01;

/** KV tokens an attention replica of capacity `cap` may fill with admitted work while `running` sequences still grow. */
export function admissionLimit(cap: number, running: number): number {
  return cap * (1 - KV_WATERMARK) - running;
}

/** Request states. */
export const RS = {
  pending: 0,
  /** Waiting in a prefill queue (disaggregated) or an admission queue (co-located). */
  queued: 1,
  prefilling: 2,
  /** Prefilled, waiting for decode memory before its KV transfer starts. */
  waitTransfer: 3,
  transferring: 4,
  /** KV on the decode instance, waiting for a batch slot. */
  ready: 5,
  running: 6,
  swappingOut: 7,
  swapped: 8,
  swappingIn: 9,
  done: 10,
} as const;

/** What a request's flows in flight are moving. */
export const XFER = { kv: 0, swapOut: 1, swapIn: 2 } as const;

export interface Fifo {
  head: Int32Array;
  tail: Int32Array;
  length: Int32Array;
}

export function makeFifo(n: number): Fifo {
  return { head: new Int32Array(n).fill(-1), tail: new Int32Array(n).fill(-1), length: new Int32Array(n) };
}

export function pushBack(q: Fifo, next: Int32Array, i: number, r: number): void {
  next[r] = -1;
  if (q.tail[i] < 0) q.head[i] = r;
  else next[q.tail[i]] = r;
  q.tail[i] = r;
  q.length[i]++;
}

export function pushFront(q: Fifo, next: Int32Array, i: number, r: number): void {
  next[r] = q.head[i];
  q.head[i] = r;
  if (q.tail[i] < 0) q.tail[i] = r;
  q.length[i]++;
}

export function popFront(q: Fifo, next: Int32Array, i: number): number {
  const r = q.head[i];
  if (r < 0) return -1;
  q.head[i] = next[r];
  if (q.head[i] < 0) q.tail[i] = -1;
  next[r] = -1;
  q.length[i]--;
  return r;
}

/**
 * Takes the sequences queued on instance i's replicas, in order on each, while the replica's memory admits
 * them (their KV counted as used at once), and starts each with `start`.
 */
export function admitQueued(sim: Sim, q: Fifo, i: number, start: (r: number) => void): void {
  const s = sim.inst;
  for (let rep = i * s.pool.dp; rep < (i + 1) * s.pool.dp; rep++) {
    for (;;) {
      const r = q.head[rep];
      if (r < 0 || s.used[rep] + sim.kv[r] > admissionLimit(s.replicaCapacity, s.repRun[rep])) break;
      popFront(q, sim.next, rep);
      s.used[rep] += sim.kv[r];
      start(r);
    }
  }
}

/**
 * Request r ran in a step of `dt` seconds whose parts are in `sim.breakdown`: until its first token the step
 * counts toward its prefill (time to first token), after it toward its decode.
 */
export function chargeStep(sim: Sim, r: number, dt: number): void {
  const bd = sim.breakdown;
  if (Number.isNaN(sim.tFirst[r])) {
    if (Number.isNaN(sim.tPrefillStart[r])) sim.tPrefillStart[r] = sim.now;
    sim.prefillS[r] += dt;
    sim.ttftTp[r] += bd.tp;
    sim.ttftEp[r] += bd.ep;
  } else {
    sim.decCompute[r] += bd.compute;
    sim.decTp[r] += bd.tp;
    sim.decEp[r] += bd.ep;
  }
}

/** Request r has produced its last token: its end time is now; the service is done with its last request. */
export function requestDone(sim: Sim, r: number): void {
  sim.state[r] = RS.done;
  sim.tDone[r] = sim.now;
  if (++sim.finished === sim.n) fire(sim.clock, sim.done);
}

/**
 * State shared by decode and co-located instances. Arrays named per replica have one entry per attention
 * replica (index i·dp + j); the others one per instance.
 */
export interface InstanceState {
  pool: PoolPlan;
  cost: StepCost;
  /** KV tokens one attention replica holds: a request's KV lives on its replica only. */
  replicaCapacity: number;
  /** Running sequences: slots [i·maxBatch, i·maxBatch + runCount[i]) (maxBatch counts the whole instance). */
  running: Int32Array;
  runCount: Int32Array;
  /** Per replica: KV tokens held or reserved. */
  used: Float64Array;
  /** Per replica: highest `used` at a step start (never above the replica's capacity). */
  peakUsed: Float64Array;
  /** Σ KV tokens of the running sequences. */
  ctxSum: Float64Array;
  /** Per replica: running sequences and their Σ KV tokens. */
  repRun: Int32Array;
  repCtx: Float64Array;
  busy: Uint8Array;
  /** Swap-outs that must finish before the next step. */
  swapOutPending: Int32Array;
  /** Requests routed here and not finished (the load balancer's measure), per instance and per replica. */
  assigned: Int32Array;
  repAssigned: Int32Array;
  /** Cumulative step seconds: compute, TP, EP (a request's share = value at leave − value at join). */
  cumCompute: Float64Array;
  cumTp: Float64Array;
  cumEp: Float64Array;
  busyS: Float64Array;
  /** Per replica: KV arrived (or swapped back), waiting for a batch slot. */
  ready: Fifo;
  /** Per replica: prefilled, waiting for memory to start the KV transfer (decode) / waiting for admission (co-located). */
  waiting: Fifo;
  /** Per replica: swapped out to the offload tier, waiting to come back. */
  swapped: Fifo;
  /** Co-located only, per replica: admitted requests whose prompt is still being prefilled, in admission order. */
  prefilling: Fifo;
}

export interface PrefillState {
  pool: PoolPlan;
  cost: StepCost;
  /** Per replica: requests waiting for a prefill batch. */
  queue: Fifo;
  /** The batch in flight, as a list (per instance: its replicas run it in one step). */
  batch: Fifo;
  busy: Uint8Array;
  /** Prompt tokens queued or in flight (the load balancer's measure between instances). */
  load: Float64Array;
  /** Per replica: prompt tokens queued (the measure between an instance's replicas). */
  repQueued: Float64Array;
  busyS: Float64Array;
}

export interface OffloadTarget {
  /** Fabric node ids of the memory / storage endpoints. */
  endpoints: Int32Array;
  capacityBytes: number;
  usedBytes: number;
}

export interface Sim {
  fabric: Fabric;
  req: RequestTable;
  n: number;
  kvBytesPerToken: number;
  transferMode: "whole" | "layerwise";
  /** The clock's time at the event being handled, seconds (request times are on this clock until `finish`). */
  now: number;
  clock: Clock;
  /** Clock time of the service's start: request r arrives at startS + req.arrival[r]. */
  startS: number;
  /** Handler ids on the clock (set by startServing): a prefill batch ends, a step ends (arg: instance). */
  evPrefillDone: number;
  evStepDone: number;
  /** Runs when request r's transfer has landed (set by startServing). */
  onLanded: (r: number) => void;
  /** Events the service handled: arrivals, batch and step ends, transfers landed. */
  events: number;
  /** The network the transfers run on, and the tag (owner) its flows carry. */
  net: Network;
  tag: number;
  /** ECMP hash key of the next flow: a running count, so flows of one pair spread over the paths. */
  flowKey: number;
  /** Flows of a request's transfer in flight: ids at [r·maxFlows, r·maxFlows + flowCount[r]). */
  maxFlows: number;
  flowIds: Int32Array;
  flowCount: Int32Array;
  /** Requests done so far; `done` fires when the last one is. */
  finished: number;
  done: Signal;
  colocated: boolean;
  prefill: PrefillState;
  /** Decode instances (disaggregated) or the co-located instances. */
  inst: InstanceState;
  offload?: OffloadTarget;
  next: Int32Array;
  state: Uint8Array;
  /** KV tokens the request holds (prompt + decoded tokens). */
  kv: Int32Array;
  generated: Int32Array;
  prefix: Int32Array;
  /** Tokens to prefill in the current pass (prompt − prefix, or the KV to rebuild after a preemption). */
  work: Int32Array;
  /** Co-located: tokens of `work` done, and the chunk in the current step. */
  progress: Int32Array;
  chunk: Int32Array;
  prefillInst: Int32Array;
  decodeInst: Int32Array;
  /** Replica slot (i·dp + j) of the request on its prefill instance, and on its decode or co-located one. */
  prefillRep: Int32Array;
  instRep: Int32Array;
  /** Order in which requests joined a batch (preemption takes the latest). */
  joinSeq: Float64Array;
  joinCounter: number;
  xferKind: Uint8Array;
  /** Prefill of the current pass finished (a layer-wise stream may land first). */
  prefillDone: Uint8Array;
  /** The KV stream of the current pass has landed. */
  streamDone: Uint8Array;
  tPrefillStart: Float64Array;
  tPrefillEnd: Float64Array;
  tKvStart: Float64Array;
  tKvEnd: Float64Array;
  /** First token delivered (NaN until then). */
  tFirst: Float64Array;
  tDone: Float64Array;
  /** Seconds of prefill steps (first pass), of which TP and EP communication. */
  prefillS: Float64Array;
  ttftTp: Float64Array;
  ttftEp: Float64Array;
  /** KV transfer time not hidden under prefill (first pass): landed − max(transfer start, prefill end). */
  kvExposed: Float64Array;
  /** After the first token: seconds of compute, TP and EP communication in the steps the request ran in. */
  decTp: Float64Array;
  decEp: Float64Array;
  decCompute: Float64Array;
  /** After the first token: seconds of transfers the request waited on (swaps, KV re-sent after a recompute). */
  decXfer: Float64Array;
  /** Start of the transfer in flight. */
  xferStart: Float64Array;
  preemptions: Int32Array;
  breakdown: StepBreakdown;
  /** Scratch for costing a step: per-replica sums and the busiest replica's load. */
  replicas: ReplicaScratch;
  load: ReplicaLoad;
  /** Totals for the report. */
  kvBytesMoved: number;
  offloadBytesMoved: number;
  preemptionCount: number;
  recomputeCount: number;
}

export function makeInstanceState(pool: PoolPlan, cost: StepCost): InstanceState {
  const k = pool.instances;
  const reps = k * pool.dp;
  return {
    pool,
    cost,
    // pools.ts sizes an instance's cache as dp whole replicas, so this is exact
    replicaCapacity: pool.kvCapacityTokens / pool.dp,
    running: new Int32Array(k * pool.maxBatch),
    runCount: new Int32Array(k),
    used: new Float64Array(reps),
    peakUsed: new Float64Array(reps),
    ctxSum: new Float64Array(k),
    repRun: new Int32Array(reps),
    repCtx: new Float64Array(reps),
    busy: new Uint8Array(k),
    swapOutPending: new Int32Array(k),
    assigned: new Int32Array(k),
    repAssigned: new Int32Array(reps),
    cumCompute: new Float64Array(k),
    cumTp: new Float64Array(k),
    cumEp: new Float64Array(k),
    busyS: new Float64Array(k),
    ready: makeFifo(reps),
    waiting: makeFifo(reps),
    swapped: makeFifo(reps),
    prefilling: makeFifo(reps),
  };
}

export function makePrefillState(pool: PoolPlan, cost: StepCost): PrefillState {
  const k = pool.instances;
  return {
    pool,
    cost,
    queue: makeFifo(k * pool.dp),
    batch: makeFifo(k),
    busy: new Uint8Array(k),
    load: new Float64Array(k),
    repQueued: new Float64Array(k * pool.dp),
    busyS: new Float64Array(k),
  };
}

/** The least-loaded of `load[from .. from + count)` (ties: the first); returns its index. */
export function leastLoaded(load: ArrayLike<number>, from: number, count: number): number {
  let best = from;
  for (let k = from + 1; k < from + count; k++) if (load[k] < load[best]) best = k;
  return best;
}

/** KV tokens instance i holds or has reserved, over its replicas. */
export function instanceUsed(s: InstanceState, i: number): number {
  let sum = 0;
  for (let q = i * s.pool.dp; q < (i + 1) * s.pool.dp; q++) sum += s.used[q];
  return sum;
}

export interface SimInputs {
  fabric: Fabric;
  req: RequestTable;
  kvBytesPerToken: number;
  transferMode: "whole" | "layerwise";
  prefixHitRate: number;
  clock: Clock;
  startS: number;
  net: Network;
  tag: number;
  prefill: PrefillState;
  inst: InstanceState;
  colocated: boolean;
  offload?: OffloadTarget;
}

export function makeSim(x: SimInputs): Sim {
  const n = x.req.count;
  const nan = () => new Float64Array(n).fill(Number.NaN);
  // a KV transfer has max(tp_prefill, tp_decode) flows, a swap tp_decode
  const maxFlows = Math.max(x.prefill.pool.tp, x.inst.pool.tp);
  const prefix = new Int32Array(n);
  const work = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    // A cached prefix never covers the whole prompt: the last token is always computed.
    prefix[r] = Math.min(Math.floor(x.req.prompt[r] * x.prefixHitRate), x.req.prompt[r] - 1);
    work[r] = x.req.prompt[r] - prefix[r];
  }
  return {
    fabric: x.fabric,
    req: x.req,
    n,
    kvBytesPerToken: x.kvBytesPerToken,
    transferMode: x.transferMode,
    now: x.clock.now,
    clock: x.clock,
    startS: x.startS,
    evPrefillDone: -1,
    evStepDone: -1,
    onLanded: () => {
      throw new Error("internal: the serving simulation was not started");
    },
    events: 0,
    net: x.net,
    tag: x.tag,
    flowKey: 0,
    maxFlows,
    flowIds: new Int32Array(n * maxFlows),
    flowCount: new Int32Array(n),
    finished: 0,
    done: makeSignal(),
    colocated: x.colocated,
    prefill: x.prefill,
    inst: x.inst,
    offload: x.offload,
    next: new Int32Array(n).fill(-1),
    state: new Uint8Array(n),
    kv: new Int32Array(n),
    generated: new Int32Array(n),
    prefix,
    work,
    progress: new Int32Array(n),
    chunk: new Int32Array(n),
    prefillInst: new Int32Array(n).fill(-1),
    decodeInst: new Int32Array(n).fill(-1),
    prefillRep: new Int32Array(n).fill(-1),
    instRep: new Int32Array(n).fill(-1),
    joinSeq: new Float64Array(n),
    joinCounter: 0,
    xferKind: new Uint8Array(n),
    prefillDone: new Uint8Array(n),
    streamDone: new Uint8Array(n),
    tPrefillStart: nan(),
    tPrefillEnd: nan(),
    tKvStart: nan(),
    tKvEnd: nan(),
    tFirst: nan(),
    tDone: nan(),
    prefillS: new Float64Array(n),
    ttftTp: new Float64Array(n),
    ttftEp: new Float64Array(n),
    kvExposed: new Float64Array(n),
    decTp: new Float64Array(n),
    decEp: new Float64Array(n),
    decCompute: new Float64Array(n),
    decXfer: new Float64Array(n),
    xferStart: new Float64Array(n),
    preemptions: new Int32Array(n),
    breakdown: { compute: 0, tp: 0, ep: 0 },
    replicas: makeReplicaScratch(Math.max(x.prefill.pool.dp, x.inst.pool.dp)),
    load: makeReplicaLoad(),
    kvBytesMoved: 0,
    offloadBytesMoved: 0,
    preemptionCount: 0,
    recomputeCount: 0,
  };
}
