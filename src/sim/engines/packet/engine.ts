/**
 * The packet-level engine: a discrete-event simulation, packet by packet, of the flows of a FlowSet on a
 * Fabric, in integer picoseconds. Same inputs and result shape as the fluid engines (finish time per flow,
 * makespan), plus packet statistics. See docs/packet-engine.md for the model and docs/transports.md for the
 * transports and their constants.
 */
import type { Router } from "../../../routing/types.js";
import type { Fabric } from "../../../topology/fabric.js";
import { grownTo } from "../../../typed-arrays.js";
import { checkFlowSet } from "../../check-flows.js";
import { popEvent, pushEvent } from "../../event-queue.js";
import type { FlowSet, FlowSetResult } from "../../flows.js";
import { dcqcnOnTimer } from "./dcqcn.js";
import {
  EV_CNP,
  EV_DCQCN,
  EV_DETECT,
  EV_FAIL,
  EV_NIC,
  EV_PACER,
  EV_PFC,
  EV_PIPE,
  EV_QDONE,
  EV_RTO,
  EV_START,
  EV_TRACE,
  EV_WAKE,
  EVENT_TYPE_BITS,
  EVENT_TYPE_MASK,
  eventCode,
} from "./events.js";
import { flowKick, nicServe } from "./nic.js";
import type { LinkFailure, PacketEngineOptions } from "./params.js";
import { pfcFrame } from "./pfc.js";
import { completeService, flushLink, pipeArrival } from "./queues.js";
import { rcccPacer } from "./rccc.js";
import { onCnpTimer } from "./receiver.js";
import { onRto, startFlow } from "./sender.js";
import { makeSim } from "./setup.js";
import { emptyCounters, type PacketCounters, type PacketSim, type QueueTraceBuffer } from "./state.js";
import { toPs } from "./time.js";

export interface PacketStats extends PacketCounters {
  /** Flows that did not finish (no live route, or the time limit). */
  unfinished: number;
  /** Simulated time at the end, seconds. */
  simulatedS: number;
  /** Highest occupancy of each link's output queue, bytes (index = link id). */
  queueMaxBytes: Float64Array;
  /** Set when `onTick` ended the run early: the flows not finished were still running. */
  stopped?: true;
}

/** Events between two `onTick` calls (a power of two, tested with a mask). */
const TICK_MASK = 0xffff;

/** Queue occupancy samples: one row per change of a queue's bytes at a sampling instant. */
export interface QueueTrace {
  timeS: Float64Array;
  link: Int32Array;
  bytes: Float64Array;
}

export interface PacketEngineResult extends FlowSetResult {
  packets: PacketStats;
  trace?: QueueTrace;
}

export function runPacketEngine(
  fabric: Fabric,
  router: Router,
  flows: FlowSet,
  options: PacketEngineOptions,
): PacketEngineResult {
  checkFlowSet(flows);
  const F = flows.count;
  if (F === 0) return emptyResult(fabric);
  const sim = makeSim(fabric, router, flows, options);
  for (let f = 0; f < F; f++) {
    if (flows.src[f] === flows.dst[f]) {
      sim.flows.status[f] = 2;
      sim.flows.finishPs[f] = sim.flows.startPs[f];
      sim.done++;
    } else {
      pushEvent(sim.heap, sim.flows.startPs[f], eventCode(EV_START, f));
    }
  }
  const failures = options.failures ?? [];
  const detectPs = toPs(options.failureDetectionS ?? 0);
  failures.forEach((fl, i) => {
    pushEvent(sim.heap, toPs(fl.atS), eventCode(EV_FAIL, i));
    pushEvent(sim.heap, toPs(fl.atS) + detectPs, eventCode(EV_DETECT, i));
  });
  if (sim.p.traceIntervalPs > 0) {
    sim.trace = makeTraceBuffer(fabric.links.count);
    pushEvent(sim.heap, 0, eventCode(EV_TRACE, 0));
  }
  const stopped = run(sim, failures, options.onTick);
  return result(sim, stopped);
}

/** The event loop; true when `onTick` stopped it. */
function run(sim: PacketSim, failures: LinkFailure[], onTick: PacketEngineOptions["onTick"]): boolean {
  const heap = sim.heap;
  const F = sim.flows.count;
  const maxTime = sim.p.maxTimePs;
  let events = 0;
  while (sim.done < F) {
    if (!popEvent(heap)) break;
    const code = heap.topA;
    const t = heap.topTime;
    if (t > maxTime) break;
    sim.now = t;
    events++;
    if (
      (events & TICK_MASK) === 0 &&
      onTick?.({ simulatedS: t / 1e12, events, doneFlows: sim.done, flows: F })
    ) {
      sim.counters.events = events;
      return true;
    }
    dispatch(sim, code, t, failures);
  }
  sim.counters.events = events;
  return false;
}

/** Runs one event: `code` packs its type and the id it concerns; `t` is its time. */
export function dispatch(sim: PacketSim, code: number, t: number, failures: LinkFailure[]): void {
  const id = code >> EVENT_TYPE_BITS;
  switch (code & EVENT_TYPE_MASK) {
    case EV_PIPE:
      pipeArrival(sim, id);
      break;
    case EV_QDONE:
      completeService(sim, id);
      break;
    case EV_NIC:
      nicServe(sim, id);
      break;
    case EV_START:
      startFlow(sim, id);
      break;
    case EV_RTO:
      onRto(sim, id, t);
      break;
    case EV_WAKE:
      if (sim.flows.wakeAt[id] === t) {
        sim.flows.wakeAt[id] = -1;
        flowKick(sim, id);
      }
      break;
    case EV_DCQCN:
      dcqcnOnTimer(sim, id, t);
      break;
    case EV_CNP:
      onCnpTimer(sim, id);
      break;
    case EV_PACER:
      rcccPacer(sim, id);
      break;
    case EV_PFC:
      pfcFrame(sim, id >> 1, id & 1);
      break;
    case EV_FAIL:
      applyFailure(sim, failures[id]);
      break;
    case EV_DETECT:
      detectFailure(sim, failures[id]);
      break;
    case EV_TRACE:
      sampleQueues(sim);
      break;
  }
}

/** Links go down (their queues and pipes lose everything) or run slower. */
function applyFailure(sim: PacketSim, failure: LinkFailure): void {
  for (let i = 0; i < failure.links.length; i++) scaleLink(sim, failure.links[i], 1 - failure.degrade);
}

/** Link `l` runs at `scale` of its bandwidth from now; 0 takes it down (its queue and pipe lose everything). */
export function scaleLink(sim: PacketSim, l: number, scale: number): void {
  const links = sim.links;
  if (scale <= 0) {
    if (links.dead[l] === 0) flushLink(sim, l);
    links.dead[l] = 1;
  } else {
    links.dead[l] = 0;
    links.psPerByte[l] = links.basePsPerByte[l] / scale;
  }
}

/** Routes learn of the failure: new packets avoid the dead links. */
function detectFailure(sim: PacketSim, failure: LinkFailure): void {
  if (failure.degrade < 1) return;
  for (let i = 0; i < failure.links.length; i++) sim.links.avoid[failure.links[i]] = 1;
}

function makeTraceBuffer(links: number): QueueTraceBuffer {
  return {
    count: 0,
    timePs: new Float64Array(1024),
    link: new Int32Array(1024),
    bytes: new Float64Array(1024),
    last: new Float64Array(links),
  };
}

function sampleQueues(sim: PacketSim): void {
  const tr = sim.trace!;
  const links = sim.links;
  for (let l = 0; l < links.count; l++) {
    const b = links.loBytes[l] + links.hiBytes[l];
    if (b === tr.last[l]) continue;
    tr.last[l] = b;
    if (tr.count === tr.timePs.length) growTrace(tr);
    tr.timePs[tr.count] = sim.now;
    tr.link[tr.count] = l;
    tr.bytes[tr.count] = b;
    tr.count++;
  }
  pushEvent(sim.heap, sim.now + sim.p.traceIntervalPs, eventCode(EV_TRACE, 0));
}

function growTrace(tr: QueueTraceBuffer): void {
  const n = tr.timePs.length * 2;
  tr.timePs = grownTo(tr.timePs, n);
  tr.link = grownTo(tr.link, n);
  tr.bytes = grownTo(tr.bytes, n);
}

function result(sim: PacketSim, stopped: boolean): PacketEngineResult {
  const F = sim.flows.count;
  const finish = new Float64Array(F);
  let makespan = 0;
  let unfinished = 0;
  for (let f = 0; f < F; f++) {
    const ps = sim.flows.finishPs[f];
    if (Number.isFinite(ps)) {
      finish[f] = ps / 1e12;
      if (finish[f] > makespan) makespan = finish[f];
    } else {
      finish[f] = Number.POSITIVE_INFINITY;
      unfinished++;
    }
  }
  const c = sim.counters;
  const out: PacketEngineResult = {
    finish,
    makespan,
    stats: { events: c.events, recomputes: 0 },
    packets: {
      ...c,
      unfinished,
      simulatedS: sim.now / 1e12,
      queueMaxBytes: sim.links.maxBytes,
      ...(stopped ? { stopped: true as const } : {}),
    },
  };
  if (sim.trace) {
    const tr = sim.trace;
    const timeS = new Float64Array(tr.count);
    for (let i = 0; i < tr.count; i++) timeS[i] = tr.timePs[i] / 1e12;
    out.trace = { timeS, link: tr.link.slice(0, tr.count), bytes: tr.bytes.slice(0, tr.count) };
  }
  return out;
}

function emptyResult(fabric: Fabric): PacketEngineResult {
  return {
    finish: new Float64Array(0),
    makespan: 0,
    stats: { events: 0, recomputes: 0 },
    packets: {
      ...emptyCounters(),
      unfinished: 0,
      simulatedS: 0,
      queueMaxBytes: new Float64Array(fabric.links.count),
    },
  };
}
