/**
 * The flow engine: a fluid, event-driven model of concurrent transfers sharing the fabric max-min fairly.
 *
 * Events are arrivals (flows sorted by start) and completions (an indexed heap of predicted end times, one
 * entry per active flow, moved when its rate changes). All events within a relative 1e-12 of the earliest
 * one are handled together; then only the connected component of flows and links they touched is
 * recomputed (component.ts, max-min.ts): each of its flows' remaining bytes is brought up to date at the
 * old rate, and its completion is rescheduled when its rate changed.
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
import { tailDelay, type WireModel } from "../wire.js";
import { activateIncidences, deactivateIncidences } from "./active-links.js";
import { firstCompletion, removeCompletion, scheduleCompletion } from "./completion-heap.js";
import { collectComponent, everyActiveFlow, seedLink } from "./component.js";
import { contended, progressiveFill } from "./max-min.js";
import { ACTIVE, DONE, type FlowSimState, makeFlowSimState } from "./state.js";
import { makeRateTrace, type RateTrace, recordRate, trimmedTrace } from "./trace.js";

/** Events closer than this (relative) are simultaneous: flows finishing together complete together. */
export const TIME_TOLERANCE = 1e-12;

export interface FlowEngineOptions extends EngineOptions {
  /** Record every rate assignment (for tests and timelines). */
  trace?: boolean;
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
  const s = makeFlowSimState(fabric, flows, routes, options.wire);
  const trace = options.trace ? makeRateTrace(4 * flows.count) : undefined;
  const stats = simulate(s, arrivalOrder(flows), trace);
  const finish = new Float64Array(flows.count);
  const wire = options.wire;
  let makespan = 0;
  for (let f = 0; f < flows.count; f++) {
    finish[f] = s.transferEnd[f] + routes.latency[f];
    if (wire) finish[f] += flowTailDelay(fabric, flows, routes, wire, f);
    if (finish[f] > makespan) makespan = finish[f];
  }
  const result: FlowEngineResult = { finish, makespan, stats, routes };
  if (options.linkBytes) result.linkBytes = linkBytesOf(fabric, flows, routes);
  if (trace) result.trace = trimmedTrace(trace);
  return result;
}

function flowTailDelay(fabric: Fabric, flows: FlowSet, routes: FlowRoutes, wire: WireModel, f: number) {
  const { bandwidth, latency } = fabric.links;
  const { link, weight, start, bottleneck } = routes;
  return tailDelay(
    wire,
    flows.bytes[f],
    link,
    weight,
    start[f],
    start[f + 1],
    bandwidth,
    latency,
    bottleneck[f],
  );
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
    for (let i = 0; i < batch; i++) complete(s, s.batch[i], t, everyone);
    events += batch;
    const before = next;
    while (next < n && flows.start[order[next]] <= limit) {
      arrive(s, order[next++], t);
      events++;
    }
    if (s.compLinkCount === 0) continue;
    const completionsOnly = next === before;
    if (completionsOnly && s.windowed && freedNothing(s)) continue;
    if (recompute(s, t, recomputes, completionsOnly, trace)) recomputes++;
  }
  return { events, recomputes };
}

/**
 * Window transports, after completions alone: nothing can move when every flow left on the freed links runs
 * at its private cap (its window cap, or a link only it uses) and no flow at its window cap lost its last
 * contended link. Then the refill — global under spraying — is skipped. A flow can only lose its cap on a
 * link that stopped being contended in this event, so only those links' flows are looked at; and when no
 * active flow is bounded by a shared link at all, the freed links need no walk for that either.
 */
function freedNothing(s: FlowSimState): boolean {
  const { linkStart, linkActive, linkInc, incFlow, rate, privateCap, windowCap, checkMark, epoch } = s;
  for (let i = 0; i < s.compLinkCount; i++) {
    const l = s.compLinks[i];
    const flipped = s.wasContended[l] === 1 && !contended(s, l);
    if (!flipped && s.sharedBoundCount === 0) continue;
    for (let slot = linkStart[l]; slot < linkStart[l] + linkActive[l]; slot++) {
      const f = incFlow[linkInc[slot]];
      if (rate[f] !== privateCap[f]) return false;
      if (!flipped || rate[f] !== windowCap[f] || checkMark[f] === epoch) continue;
      checkMark[f] = epoch;
      if (!crossesContended(s, f)) return false;
    }
  }
  return true;
}

function crossesContended(s: FlowSimState, f: number): boolean {
  for (let e = s.routes.start[f]; e < s.routes.start[f + 1]; e++)
    if (contended(s, s.routes.link[e])) return true;
  return false;
}

/** Before flow f leaves: for each of its links not yet touched in this event, whether it is contended. */
function noteContention(s: FlowSimState, f: number): void {
  const { routes, touchMark, wasContended, epoch } = s;
  for (let e = routes.start[f]; e < routes.start[f + 1]; e++) {
    const l = routes.link[e];
    if (touchMark[l] === epoch) continue;
    touchMark[l] = epoch;
    wasContended[l] = contended(s, l) ? 1 : 0;
  }
}

/** Adds (sign 1) or removes (−1) flow f's rate alone, by weight, to its links' demand. */
function addDemand(s: FlowSimState, f: number, sign: number): void {
  const { routes, demand } = s;
  const r = sign * routes.bottleneck[f];
  for (let e = routes.start[f]; e < routes.start[f + 1]; e++) demand[routes.link[e]] += routes.weight[e] * r;
}

/** Ends flow f at t. `everyone`: all active flows end now, so links are simply emptied (no swaps, no seeds). */
function complete(s: FlowSimState, f: number, t: number, everyone: boolean): void {
  s.status[f] = DONE;
  s.activeCount--;
  s.transferEnd[f] = t;
  s.remaining[f] = 0;
  s.rate[f] = 0;
  s.sharedBoundCount -= s.sharedBound[f];
  s.sharedBound[f] = 0;
  const { routes, linkActive, demand } = s;
  if (everyone) {
    for (let e = routes.start[f]; e < routes.start[f + 1]; e++) linkActive[routes.link[e]] = 0;
    if (s.windowed) for (let e = routes.start[f]; e < routes.start[f + 1]; e++) demand[routes.link[e]] = 0;
    return;
  }
  if (s.windowed) {
    noteContention(s, f);
    addDemand(s, f, -1);
  }
  deactivateIncidences(s, f);
  // Only links that still carry active flows can pass the freed bandwidth on.
  for (let e = routes.start[f]; e < routes.start[f + 1]; e++) {
    const l = routes.link[e];
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
  activateIncidences(s, f);
  if (s.windowed) addDemand(s, f, 1);
  for (let e = routes.start[f]; e < routes.start[f + 1]; e++) seedLink(s, routes.link[e]);
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
  }
  progressiveFill(s);
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
