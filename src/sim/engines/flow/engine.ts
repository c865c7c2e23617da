/**
 * The flow engine: a fluid, event-driven model of concurrent transfers sharing the fabric max-min fairly.
 *
 * Events are arrivals (flows sorted by start) and completions (an indexed heap of predicted end times, one
 * entry per active flow, moved when its rate changes). All events within a relative 1e-12 of the earliest
 * one are handled together; then only the connected component of flows and links they touched is
 * recomputed (component.ts, max-min.ts): each of its flows' remaining bytes is brought up to date at the
 * old rate, and its completion is rescheduled when its rate changed.
 *
 * Links that no flow tells apart (a sprayed leaf's up-links) are shared as one bundle of their summed
 * capacity (bundles.ts): the same rates, a handful of incidences per flow instead of hundreds.
 *
 * A flow's finish is the end of its transfer plus its route latency (routes.ts). With a wire model
 * (wire.ts) a flow moves its wire bytes (payload and one header per packet) and finishes its tail delay
 * later (the last packet's store-and-forward, and the ack's return).
 */
import type { Router } from "../../../routing/types.js";
import type { Fabric } from "../../../topology/fabric.js";
import { checkFlowSet } from "../../check-flows.js";
import type { FlowSet, FlowSetResult } from "../../flows.js";
import { type FlowRoutes, linkBytesOf, routeFlows } from "../routes.js";
import type { EngineOptions } from "../types.js";
import { tailDelay } from "../wire.js";
import { activateIncidence, deactivateIncidence } from "./active-links.js";
import { mergeParallelLinks } from "./bundles.js";
import { firstCompletion, removeCompletion, scheduleCompletion } from "./completion-heap.js";
import { collectComponent, everyActiveFlow, seedLink } from "./component.js";
import { contended, progressiveFill } from "./max-min.js";
import { ACTIVE, DONE, type FlowSimState, makeFlowSimState } from "./state.js";
import { makeRateTrace, type RateTrace, recordRate, trimmedTrace } from "./trace.js";
import { raiseFreed, shareByPath } from "./window.js";

/** Events closer than this (relative) are simultaneous: flows finishing together complete together. */
export const TIME_TOLERANCE = 1e-12;

export interface FlowEngineOptions extends EngineOptions {
  /** Record every rate assignment (for tests and timelines). */
  trace?: boolean;
  /** Share bundles of parallel links no flow tells apart (bundles.ts; default true): the same rates, faster. */
  bundle?: boolean;
}

export interface FlowEngineResult extends FlowSetResult {
  trace?: RateTrace;
  /** The routes the flows took (flow → links with weights, latency, bottleneck). */
  routes: FlowRoutes;
}

export function flowEngine(
  fabric: Fabric,
  router: Router,
  flows: FlowSet,
  options: EngineOptions,
): FlowSetResult {
  const { finish, makespan, stats, linkBytes } = runFlowEngine(fabric, router, flows, options);
  return { finish, makespan, stats, ...(linkBytes ? { linkBytes } : {}) };
}

export function runFlowEngine(
  fabric: Fabric,
  router: Router,
  flows: FlowSet,
  options: FlowEngineOptions,
): FlowEngineResult {
  checkFlowSet(flows);
  const routes = routeFlows(fabric, router, flows, options);
  const { bandwidth, from } = fabric.links;
  const bundles =
    options.bundle === false ? undefined : mergeParallelLinks(routes, bandwidth, from, flows.src);
  const links = bundles ?? { count: fabric.links.count, capacity: bandwidth, from };
  const s = makeFlowSimState(links, flows, bundles?.routes ?? routes, options.wire, options.seed);
  const trace = options.trace ? makeRateTrace(4 * flows.count) : undefined;
  const stats = simulate(s, arrivalOrder(flows), trace);
  const finish = new Float64Array(flows.count);
  const wire = options.wire;
  const { latency, perByte, bottleneck } = routes;
  let makespan = 0;
  for (let f = 0; f < flows.count; f++) {
    finish[f] = s.transferEnd[f] + latency[f];
    if (wire) finish[f] += tailDelay(wire, flows.bytes[f], latency[f], perByte[f], bottleneck[f]);
    if (finish[f] > makespan) makespan = finish[f];
  }
  const result: FlowEngineResult = { finish, makespan, stats, routes };
  if (options.linkBytes) result.linkBytes = linkBytesOf(fabric, flows, routes);
  if (trace) result.trace = trimmedTrace(trace);
  return result;
}

/** Flow ids by start time, ties by id. */
function arrivalOrder(flows: FlowSet): Int32Array {
  const order = new Int32Array(flows.count);
  for (let f = 0; f < flows.count; f++) order[f] = f;
  let sorted = true;
  for (let f = 1; f < flows.count && sorted; f++) sorted = flows.start[f - 1] <= flows.start[f];
  if (!sorted) order.sort((a, b) => flows.start[a] - flows.start[b] || a - b);
  return order;
}

function simulate(s: FlowSimState, order: Int32Array, trace: RateTrace | undefined) {
  const { flows, completions } = s;
  const n = flows.count;
  let next = 0;
  let events = 0;
  let recomputes = 0;
  for (;;) {
    const tArrival = next < n ? flows.start[order[next]] : Number.POSITIVE_INFINITY;
    const first = firstCompletion(completions);
    const tCompletion = first >= 0 ? completions.time[first] : Number.POSITIVE_INFINITY;
    const t = Math.min(tArrival, tCompletion);
    if (t === Number.POSITIVE_INFINITY) break;
    const limit = t + t * TIME_TOLERANCE;
    s.epoch++;
    s.compLinkCount = 0;
    let batch = 0;
    for (
      let f = firstCompletion(completions);
      f >= 0 && completions.time[f] <= limit;
      f = firstCompletion(completions)
    ) {
      removeCompletion(completions, f);
      s.batch[batch++] = f;
    }
    // When every active flow ends together (a collective step), nothing is left to reshare.
    const everyone = batch === s.activeCount;
    if (everyone) emptyLinks(s, batch);
    for (let i = 0; i < batch; i++) complete(s, s.batch[i], t, everyone);
    events += batch;
    const before = next;
    while (next < n && flows.start[order[next]] <= limit) {
      arrive(s, order[next++], t);
      events++;
    }
    if (s.compLinkCount === 0) continue;
    const completionsOnly = next === before;
    if (completionsOnly && s.windowed) {
      const raised = raiseFreed(s, t, recomputes, trace);
      if (raised > 0) recomputes++;
      if (raised >= 0) continue;
    }
    if (recompute(s, t, recomputes, completionsOnly, trace)) recomputes++;
  }
  return { events, recomputes };
}

/**
 * Every active flow ends in this event (`batch` of them): links are emptied, not swapped or seeded — link by
 * link when the flows cross more incidences than there are links.
 */
function emptyLinks(s: FlowSimState, batch: number): void {
  const { routes, linkActive, demand } = s;
  let incidences = 0;
  for (let i = 0; i < batch; i++) incidences += routes.start[s.batch[i] + 1] - routes.start[s.batch[i]];
  if (incidences > linkActive.length) {
    linkActive.fill(0);
    demand.fill(0);
    return;
  }
  for (let i = 0; i < batch; i++) {
    const f = s.batch[i];
    for (let e = routes.start[f]; e < routes.start[f + 1]; e++) linkActive[routes.link[e]] = 0;
    if (s.windowed) for (let e = routes.start[f]; e < routes.start[f + 1]; e++) demand[routes.link[e]] = 0;
  }
}

/** Ends flow f at t. `everyone`: all active flows end now (their links emptied by emptyLinks). */
function complete(s: FlowSimState, f: number, t: number, everyone: boolean): void {
  s.status[f] = DONE;
  s.activeCount--;
  s.transferEnd[f] = t;
  s.remaining[f] = 0;
  s.rate[f] = 0;
  s.sharedBoundCount -= s.sharedBound[f];
  s.sharedBound[f] = 0;
  if (everyone) return; // emptyLinks did the links
  const { routes, linkActive, demand, touchMark, wasContended, epoch, windowed } = s;
  const alone = routes.bottleneck[f];
  for (let e = routes.start[f]; e < routes.start[f + 1]; e++) {
    const l = routes.link[e];
    if (windowed) {
      // Whether l was contended before this event's first removal from it (raiseFreed reads it).
      if (touchMark[l] !== epoch) {
        touchMark[l] = epoch;
        wasContended[l] = contended(s, l) ? 1 : 0;
      }
      demand[l] -= routes.weight[e] * alone;
    }
    deactivateIncidence(s, e, l);
    // Only links that still carry active flows can pass the freed bandwidth on.
    if (linkActive[l] > 0) seedLink(s, l);
  }
}

function arrive(s: FlowSimState, f: number, t: number): void {
  const { routes, flows } = s;
  if (flows.bytes[f] === 0 || routes.start[f] === routes.start[f + 1]) {
    // Nothing to move over the network (empty, or source = destination): done on arrival.
    s.status[f] = DONE;
    s.transferEnd[f] = flows.start[f];
    return;
  }
  s.status[f] = ACTIVE;
  s.activeCount++;
  // Wire bytes: the payload and one header per packet (no headers without a wire model).
  s.remaining[f] = flows.bytes[f] + Math.ceil(flows.bytes[f] / s.segmentBytes) * s.headerBytes;
  s.rate[f] = 0;
  s.since[f] = t;
  const alone = routes.bottleneck[f];
  for (let e = routes.start[f]; e < routes.start[f + 1]; e++) {
    const l = routes.link[e];
    activateIncidence(s, e, l);
    if (s.windowed) s.demand[l] += routes.weight[e] * alone;
    seedLink(s, l);
  }
}

/**
 * Brings the component's flows up to time t, refills rates, and predicts new completions. Returns false
 * when the event left no active flow on the touched links (nothing to recompute).
 */
function recompute(
  s: FlowSimState,
  t: number,
  step: number,
  completionsOnly: boolean,
  trace: RateTrace | undefined,
): boolean {
  // Completions only split components: when the last one held every active flow, the flows still active
  // are this event's component (or a union of components, which fills to the same rates) without a search.
  if (completionsOnly && s.componentIsAll) {
    everyActiveFlow(s);
    // The flows left may have split into components; the next event searches again to find out.
    s.componentIsAll = false;
  } else {
    const connected = collectComponent(s);
    s.componentIsAll = connected && s.compFlowCount === s.activeCount;
  }
  if (s.compFlowCount === 0) return false;
  const { compFlows, remaining, rate, since, oldRate } = s;
  for (let i = 0; i < s.compFlowCount; i++) {
    const f = compFlows[i];
    const left = remaining[f] - rate[f] * (t - since[f]);
    remaining[f] = Math.max(left, 0);
    since[f] = t;
    oldRate[f] = rate[f];
    s.share[f] = 1;
  }
  progressiveFill(s);
  if (s.byPath && shareByPath(s)) progressiveFill(s);
  for (let i = 0; i < s.compFlowCount; i++) {
    const f = compFlows[i];
    const r = rate[f];
    if (trace) recordRate(trace, step, t, f, r);
    const bound = r !== s.privateCap[f] ? 1 : 0;
    s.sharedBoundCount += bound - s.sharedBound[f];
    s.sharedBound[f] = bound;
    // An unchanged rate keeps its prediction exactly (no drift from re-deriving it); a flow held at rate 0
    // (a zero-bandwidth link) never completes: its finish stays +Infinity.
    if (r === oldRate[f] && s.completions.pos[f] >= 0) continue;
    if (r > 0) scheduleCompletion(s.completions, f, t + remaining[f] / r);
    else removeCompletion(s.completions, f);
  }
  return true;
}
