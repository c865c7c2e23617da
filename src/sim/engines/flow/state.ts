/**
 * Everything the flow engine touches while it runs, allocated once per call and sized by the flow set and
 * the fabric: nothing is allocated per event.
 *
 * The flow → links incidence (CSR) comes from routing. Its transpose, link → incidences, is built here;
 * each link's segment keeps its *active* incidences (flows that have arrived and not finished) in a prefix
 * [linkStart[l], linkStart[l] + linkActive[l]), maintained by swaps in O(1) per incidence, so walking a
 * link's current flows never visits pending or finished ones.
 */

import { spreadNormal } from "../../../prng.js";
import { type EventQueue, makeEventQueue } from "../../event-queue.js";
import type { FlowSet } from "../../flows.js";
import type { FlowRoutes } from "../routes.js";
import { routeRtt, type WireModel, windowCap, windowTime } from "../wire.js";
import { type CompletionHeap, makeCompletionHeap } from "./completion-heap.js";

export const PENDING = 0;
export const ACTIVE = 1;
export const DONE = 2;

export interface FlowSimState {
  flows: FlowSet;
  routes: FlowRoutes;
  /** Link bandwidth, bytes/s. */
  capacity: Float64Array;
  /** The node each link leaves (−1: a bundle of links leaving several). */
  linkFrom: Int32Array;
  /** Payload and header bytes per packet of the wire model (+Infinity and 0 without one: no headers). */
  segmentBytes: number;
  headerBytes: number;
  /** Window transports: per flow, the most it moves on a contended link (wire.ts windowCap). */
  windowed: boolean;
  windowCap: Float64Array;
  /** Window transports sharing by path (wire.ts `sharing`): refills weigh flows by path (shareByPath). */
  byPath: boolean;
  /** Window transports, per link: Σ weight × rate alone of its active flows (contention, wire.ts). */
  demand: Float64Array;
  /** Per flow: the event in which raiseFreed last checked it. */
  checkMark: Int32Array;
  /** Flows raiseFreed lifts in the current event. */
  risers: Int32Array;
  /** Sharing by path, per link: saturated and shared in the last max-min fill (shareByPath). */
  saturated: Uint8Array;
  /** Sharing by path, per flow: its unloaded RTT plus the standing queue, seconds (its window's time). */
  windowTime: Float64Array;
  /** Sharing by path with a drifting transport, per flow: its standard normal deviate (sharing.ts driftShare). */
  driftZ: Float64Array;
  /** The wire model, when there is one. */
  wire: WireModel | undefined;
  /**
   * Window transports, per link: the event that first removed a flow from it, and whether it was contended
   * then (before any removal of that event).
   */
  touchMark: Int32Array;
  wasContended: Uint8Array;
  /** Per flow: 1 when its last refill left it below its private cap (a shared link bounds it). */
  sharedBound: Uint8Array;
  /** Active flows with sharedBound set. */
  sharedBoundCount: number;
  /**
   * The last refill's component was connected and held every active flow: after completions alone the
   * flows still active hold the next event's component (engine.ts recompute).
   */
  componentIsAll: boolean;

  /** Flow of each incidence. */
  incFlow: Int32Array;
  linkStart: Int32Array;
  /** Incidence ids by link, active ones first in each link's segment. */
  linkInc: Int32Array;
  /** Position of each incidence in `linkInc`. */
  incSlot: Int32Array;
  linkActive: Int32Array;

  /** Per flow: PENDING / ACTIVE / DONE. */
  status: Uint8Array;
  activeCount: number;
  /** Flows completing in the current event. */
  batch: Int32Array;
  remaining: Float64Array;
  rate: Float64Array;
  /** Rate before the current recomputation. */
  oldRate: Float64Array;
  /** Time up to which `remaining` is current. */
  since: Float64Array;
  /** End of the transfer (before latency), seconds. */
  transferEnd: Float64Array;

  /** Dense class index per flow (-1 = none) and the class members, CSR. */
  classOf: Int32Array;
  classStart: Int32Array;
  classFlows: Int32Array;

  /** Epoch stamps: membership in the current component (epoch); frozen, class frozen (fillEpoch). */
  epoch: number;
  fillEpoch: number;
  flowMark: Int32Array;
  frozenMark: Int32Array;
  linkMark: Int32Array;
  classMark: Int32Array;

  /** Current component: flows, and links (the links array is also the search queue). */
  compFlows: Int32Array;
  compFlowCount: number;
  compLinks: Int32Array;
  compLinkCount: number;
  /** Seeds set aside while the search from the first one runs (component.ts). */
  waitingSeeds: Int32Array;

  /** Progressive filling, per link: load of frozen flows, weight and count of unfrozen flows, fill level. */
  load: Float64Array;
  unfrozenWeight: Float64Array;
  unfrozenCount: Int32Array;
  level: Float64Array;
  /** Per flow: min capacity / weight over the component's links it alone uses (+Infinity if none). */
  privateCap: Float64Array;
  /**
   * Per flow: its share of the fill, rate = share × fill level (1: max-min). Window transports sharing by
   * path give a flow crossing saturated shared links sharing.ts pathShare (window.ts shareByPath).
   */
  share: Float64Array;

  completions: CompletionHeap;
  filling: EventQueue;
}

/** The links the engine shares: the fabric's, or bundles of them (bundles.ts). */
export interface EngineLinks {
  count: number;
  /** Bytes/s. */
  capacity: Float64Array;
  /** The node each link leaves (−1: several). */
  from: Int32Array;
}

export function makeFlowSimState(
  links: EngineLinks,
  flows: FlowSet,
  routes: FlowRoutes,
  wire?: WireModel,
  seed = 1,
): FlowSimState {
  const n = flows.count;
  const nLinks = links.count;
  const { linkStart, linkInc, incSlot, incFlow } = transpose(routes, nLinks);
  const { classOf, classStart, classFlows } = classIndex(flows);
  const byPath = wire !== undefined && wire.windowS > 0 && wire.sharing === "by-path";
  return {
    flows,
    routes,
    capacity: links.capacity,
    linkFrom: links.from,
    segmentBytes: wire ? wire.mtu - wire.header : Number.POSITIVE_INFINITY,
    headerBytes: wire ? wire.header : 0,
    windowed: wire !== undefined && wire.windowS > 0,
    byPath,
    windowCap: wire && wire.windowS > 0 ? windowCaps(routes, wire) : new Float64Array(0),
    windowTime: wire && byPath ? windowTimes(routes, wire) : new Float64Array(0),
    driftZ: wire && byPath && wire.drift > 0 ? driftDeviates(n, seed) : new Float64Array(0),
    wire,
    demand: new Float64Array(wire && wire.windowS > 0 ? nLinks : 0),
    checkMark: new Int32Array(wire && wire.windowS > 0 ? n : 0),
    risers: new Int32Array(wire && wire.windowS > 0 ? n : 0),
    saturated: new Uint8Array(byPath ? nLinks : 0),
    touchMark: new Int32Array(wire && wire.windowS > 0 ? nLinks : 0),
    wasContended: new Uint8Array(wire && wire.windowS > 0 ? nLinks : 0),
    sharedBound: new Uint8Array(n),
    sharedBoundCount: 0,
    componentIsAll: false,
    incFlow,
    linkStart,
    linkInc,
    incSlot,
    linkActive: new Int32Array(nLinks),
    status: new Uint8Array(n),
    activeCount: 0,
    batch: new Int32Array(n),
    remaining: new Float64Array(n),
    rate: new Float64Array(n),
    oldRate: new Float64Array(n),
    since: new Float64Array(n),
    transferEnd: new Float64Array(n).fill(Number.POSITIVE_INFINITY),
    classOf,
    classStart,
    classFlows,
    epoch: 0,
    fillEpoch: 0,
    flowMark: new Int32Array(n),
    frozenMark: new Int32Array(n),
    linkMark: new Int32Array(nLinks),
    classMark: new Int32Array(Math.max(0, classStart.length - 1)),
    compFlows: new Int32Array(n),
    compFlowCount: 0,
    compLinks: new Int32Array(nLinks),
    compLinkCount: 0,
    waitingSeeds: new Int32Array(nLinks),
    load: new Float64Array(nLinks),
    unfrozenWeight: new Float64Array(nLinks),
    unfrozenCount: new Int32Array(nLinks),
    level: new Float64Array(nLinks),
    privateCap: new Float64Array(n),
    share: new Float64Array(n).fill(1),
    completions: makeCompletionHeap(n),
    // The filling holds at most one entry per link and one per flow (lazy increase-key re-pushes only
    // what it pops).
    filling: makeEventQueue(Math.max(64, nLinks + n)),
  };
}

function windowCaps(routes: FlowRoutes, wire: WireModel): Float64Array {
  const caps = new Float64Array(routes.count);
  for (let f = 0; f < routes.count; f++) {
    const rtt = routeRtt(wire, routes.latency[f], routes.perByte[f]);
    caps[f] = windowCap(wire, routes.bottleneck[f], rtt);
  }
  return caps;
}

function windowTimes(routes: FlowRoutes, wire: WireModel): Float64Array {
  const times = new Float64Array(routes.count);
  for (let f = 0; f < routes.count; f++) times[f] = windowTime(wire, routes.latency[f], routes.perByte[f]);
  return times;
}

function transpose(routes: FlowRoutes, nLinks: number) {
  const e = routes.link.length;
  const linkStart = new Int32Array(nLinks + 1);
  for (let i = 0; i < e; i++) linkStart[routes.link[i] + 1]++;
  for (let l = 0; l < nLinks; l++) linkStart[l + 1] += linkStart[l];
  const fill = linkStart.slice(0, nLinks);
  const linkInc = new Int32Array(e);
  const incSlot = new Int32Array(e);
  const incFlow = new Int32Array(e);
  for (let f = 0; f < routes.count; f++) {
    for (let i = routes.start[f]; i < routes.start[f + 1]; i++) {
      const p = fill[routes.link[i]]++;
      linkInc[p] = i;
      incSlot[i] = p;
      incFlow[i] = f;
    }
  }
  return { linkStart, linkInc, incSlot, incFlow };
}

/** Groups flows by `klass` (negative = no class) into dense class ids, members in flow order. */
function classIndex(flows: FlowSet) {
  const n = flows.count;
  const classOf = new Int32Array(n).fill(-1);
  const klass = flows.klass;
  if (!klass) return { classOf, classStart: new Int32Array(1), classFlows: new Int32Array(0) };
  const members: number[] = [];
  for (let f = 0; f < n; f++) if (klass[f] >= 0) members.push(f);
  members.sort((a, b) => klass[a] - klass[b] || a - b);
  const classFlows = Int32Array.from(members);
  const starts: number[] = [];
  for (let i = 0; i < classFlows.length; i++) {
    if (i === 0 || klass[classFlows[i]] !== klass[classFlows[i - 1]]) starts.push(i);
    classOf[classFlows[i]] = starts.length - 1;
  }
  starts.push(classFlows.length);
  return { classOf, classStart: Int32Array.from(starts), classFlows };
}

/** Each flow's standard normal deviate for its drift: spread evenly over flow indices (prng.ts). */
function driftDeviates(n: number, seed: number): Float64Array {
  const z = new Float64Array(n);
  for (let f = 0; f < n; f++) z[f] = spreadNormal(f, seed);
  return z;
}
