/**
 * The fluid networks on the shared clock: `flow` shares every link max-min fairly among the flows active
 * on it (weighted progressive filling, as the flow engine), `analytical` gives each flow its own
 * bottleneck with no contention. Both apply the current link capacities, so a degraded or failed link
 * slows the flows on it at either fidelity.
 *
 * Flows arrive one by one. A start, a completion, a rate cap or a capacity change marks the flows and
 * links it touched and asks for one recomputation at the current time; all the events of that instant
 * share it. The recomputation brings the flows it may move up to date (remaining bytes at the old rates),
 * refills their rates, and predicts each changed flow's completion on the clock. A prediction made stale
 * by a later rate change is skipped by its version stamp, so nothing is removed from the queue. Flows of
 * the recomputation whose predicted completion is within a relative 1e-12 of now complete together.
 *
 * Flow fidelity refills a region, not the whole connected component: the flows an event reaches, grown
 * until the max-min conditions hold for every flow left out (see `refill`). A completion on links where
 * no other flow is limited costs no fill at all, and a collective's start fills its own flows and the
 * flows it actually slows, not every flow that shares a switch with it.
 *
 * Hot state is typed arrays indexed by numeric flow slots, incidence and link ids; per link, the active
 * incidences sit in a block of one pool with O(1) swap-removal. A delivered flow's slot and its
 * incidences are reused by later flows, so the hot arrays stay as large as the most flows in flight at
 * once, not the run's total. The id a caller gets is not the slot: ids count up, and only a flow's
 * finish and its slot are kept per id (finishOf and capRate take old ids).
 */
import { WeftError } from "../../errors.js";
import { spreadNormal } from "../../prng.js";
import { ecmpIndex } from "../../routing/ecmp.js";
import type { LoadBalancing, Router } from "../../routing/types.js";
import { type Fabric, LINK_TIER_NAMES } from "../../topology/fabric.js";
import { grownTo } from "../../typed-arrays.js";
import { type Clock, registerHandler, schedule } from "../clock.js";
import { burstWait, byPathShare, windowCanShrink } from "../engines/sharing.js";
import {
  CONTENDED,
  routeRtt,
  tailDelay,
  type WireModel,
  windowCap,
  windowTime,
  wireBytes,
} from "../engines/wire.js";
import { clearEventQueue, makeEventQueue, popEvent, pushEvent } from "../event-queue.js";
import { fire } from "../process.js";
import type { FlowGroup, Meetings, Network, NetworkStats } from "./types.js";

export interface FluidNetworkOptions {
  fidelity: "analytical" | "flow";
  loadBalancing: LoadBalancing;
  seed: number;
  /** Owners the meeting accounting tells apart (flows carry a tag < tags). */
  tags?: number;
  /**
   * Packet overheads of the transport (headers, the last packet's store-and-forward, the ack's return, the
   * window under a standing queue; src/sim/engines/wire.ts), as the flow engine applies them. Absent: the
   * ideal fluid transfer.
   */
  wire?: WireModel;
  /** The tags whose flows the wire model applies to (absent: every tag). */
  wiredTags?: readonly boolean[];
}

/** Predictions within this relative distance of now are now: flows finishing together complete together. */
const TIME_TOLERANCE = 1e-12;
const ACTIVE = 1;
const DONE = 2;
const TIERS = LINK_TIER_NAMES.length;

export function makeFluidNetwork(
  clock: Clock,
  fabric: Fabric,
  initialRouter: Router,
  options: FluidNetworkOptions,
): Network {
  const contention = options.fidelity === "flow";
  const spray = options.loadBalancing !== "ecmp";
  const T = Math.max(1, options.tags ?? 1);
  const L = fabric.links.count;
  const nominal = fabric.links.bandwidth;
  const capacity = Float64Array.from(nominal);
  const linkLat = fabric.links.latency;
  const linkTier = fabric.links.tier;
  const linkFrom = fabric.links.from;
  const wire = options.wire;
  const wiredTags = options.wiredTags;
  const windowed = wire !== undefined && wire.windowS > 0;
  const byPath = windowed && wire.sharing === "by-path";
  const drifting = byPath && wire.drift > 0;
  let router = initialRouter;
  let failedMask: Uint8Array | undefined;
  let bufLinks = new Int32Array(16);
  let bufWeights = new Float64Array(16);

  // Per id handed out: its delivery time, and its slot while it has one (−1 once delivered).
  let nIds = 0;
  let finishById = new Float64Array(1024);
  let slotById = new Int32Array(1024);

  // Per flow slot; freed slots wait in a stack for the next flows.
  let cap = 1024;
  let nSlots = 0;
  let freeSlots = new Int32Array(cap);
  let nFree = 0;
  let idOf = new Int32Array(cap);
  let src = new Int32Array(cap);
  let dst = new Int32Array(cap);
  let key = new Int32Array(cap);
  let tag = new Int32Array(cap);
  let status = new Uint8Array(cap);
  let bytes = new Float64Array(cap);
  let remaining = new Float64Array(cap);
  let rate = new Float64Array(cap);
  let oldRate = new Float64Array(cap);
  let rateCap = new Float64Array(cap);
  let since = new Float64Array(cap);
  let predicted = new Float64Array(cap);
  let version = new Int32Array(cap);
  let latency = new Float64Array(cap);
  let incStart = new Int32Array(cap);
  let incCount = new Int32Array(cap);
  let flowMark = new Int32Array(cap);
  let frozenMark = new Int32Array(cap);
  let privateCap = new Float64Array(cap);
  // The link that froze the flow in the fill that last set its rate; −1: its own cap did.
  let neck = new Int32Array(cap);
  // Window transports: the most the flow moves on a contended link (wire.ts); in the fill, the contended
  // link that gave it that cap; after it, the contended link whose window cap set its rate (−1: none).
  let winCap = new Float64Array(cap);
  let solo = new Float64Array(cap);
  // Window transports: the flow's RTT plus the standing queue (0: not wired), and its share of the fill
  // (rate = share × fill level; flow/window.ts shareByPath in the batch flow engine), reset to 1 as the
  // flow joins a refill.
  let winTime = new Float64Array(cap);
  let share = new Float64Array(cap).fill(1);
  // Sharing by path with a drifting transport: the flow's standard normal deviate (sharing.ts driftShare).
  let driftZ = new Float64Array(cap);
  let capVia = new Int32Array(cap);
  let capLink = new Int32Array(cap);
  const groupOf: FlowGroup[] = [];

  // Per incidence (flow × link): a flow's incidences are one block; a freed block of k incidences waits in
  // freeBlocks[k] for the next flow routed over k links.
  let incCap = 4096;
  let nInc = 0;
  const freeBlocks: number[][] = [];
  let incLink = new Int32Array(incCap);
  let incWeight = new Float64Array(incCap);
  let incFlow = new Int32Array(incCap);
  let incPos = new Int32Array(incCap);

  // Per link: its active incidences, a block [listStart, listStart + listLen) of `pool` with room for
  // listRoom. A list that outgrows its block moves to one twice the size; a freed block waits in
  // freePool[log2 size] for the next list of that size.
  const listStart = new Int32Array(L);
  const listLen = new Int32Array(L);
  const listRoom = new Int32Array(L);
  let pool = new Int32Array(4096);
  let poolUsed = 0;
  const freePool: number[][] = [];
  const linkMark = new Int32Array(L);
  const load = new Float64Array(L);
  const unfrozenWeight = new Float64Array(L);
  const unfrozenCount = new Int32Array(L);
  const level = new Float64Array(L);
  const compLinks = new Int32Array(L);
  // Per link, for the region's fill: every flow on it joined (epoch); the top rate of the flows kept
  // outside; the fill level at which it froze flows (−1: it froze none); active flows whose neck it is.
  const expanded = new Int32Array(L);
  const heldTop = new Float64Array(L);
  const poppedAt = new Float64Array(L);
  const neckCount = new Int32Array(L);
  // Per link: active flows whose rate its contention capped (they rejoin when its load changes).
  const capCount = new Int32Array(L);
  // Links of the fill that are the neck of kept flows, and the lowest and highest of their rates.
  const neckLinks = new Int32Array(L);
  let neckLinkCount = 0;
  const neckLo = new Float64Array(L);
  const neckHi = new Float64Array(L);
  const violations: number[] = [];
  let compFlows = new Int32Array(cap);
  let compLinkCount = 0;
  let compFlowCount = 0;
  let epoch = 0;
  // Counts fills: a region filled again after it grew freezes every flow anew.
  let fillEpoch = 0;
  const filling = makeEventQueue(1024);

  // Touched since the last recomputation.
  const touchedLinks: number[] = [];
  // touchedLinks holds a link once: touchMark[l] === touchEpoch while it is in (touchLink).
  const touchMark = new Int32Array(L);
  let touchEpoch = 1;
  const touchedFlows: number[] = [];
  const rescaled: number[] = [];
  let pending = false;
  let events = 0;
  let recomputes = 0;

  // Meetings between tags.
  const meetings: Meetings = {
    tags: T,
    met: new Float64Array(T * T * TIERS),
    linkMet: new Float64Array(L),
    linkTags: new Int32Array(L),
  };
  const tagRate = T > 1 ? new Float64Array(L * T) : new Float64Array(0);
  const tagCount = T > 1 ? new Int32Array(L * T) : new Int32Array(0);
  const metSince = new Float64Array(L);
  const delivered = new Float64Array(T);
  const routedTierBytes = new Float64Array(T * TIERS);

  const RECOMPUTE = registerHandler(clock, () => recompute());
  const COMPLETE = registerHandler(clock, (f, v) => {
    if (status[f] === ACTIVE && version[f] === v) {
      events++;
      complete(f, clock.now);
    }
  });
  const DELIVER = registerHandler(clock, (f) => deliver(f));

  function growFlows(): void {
    cap *= 2;
    src = grownTo(src, cap);
    dst = grownTo(dst, cap);
    key = grownTo(key, cap);
    tag = grownTo(tag, cap);
    status = grownTo(status, cap);
    bytes = grownTo(bytes, cap);
    remaining = grownTo(remaining, cap);
    rate = grownTo(rate, cap);
    oldRate = grownTo(oldRate, cap);
    rateCap = grownTo(rateCap, cap);
    since = grownTo(since, cap);
    predicted = grownTo(predicted, cap);
    version = grownTo(version, cap);
    latency = grownTo(latency, cap);
    idOf = grownTo(idOf, cap);
    freeSlots = grownTo(freeSlots, cap);
    incStart = grownTo(incStart, cap);
    incCount = grownTo(incCount, cap);
    flowMark = grownTo(flowMark, cap);
    frozenMark = grownTo(frozenMark, cap);
    privateCap = grownTo(privateCap, cap);
    neck = grownTo(neck, cap);
    winCap = grownTo(winCap, cap);
    solo = grownTo(solo, cap);
    winTime = grownTo(winTime, cap);
    share = grownTo(share, cap);
    driftZ = grownTo(driftZ, cap);
    capVia = grownTo(capVia, cap);
    capLink = grownTo(capLink, cap);
    compFlows = grownTo(compFlows, cap);
  }

  function growIncidences(need: number): void {
    while (incCap < need) incCap *= 2;
    incLink = grownTo(incLink, incCap);
    incWeight = grownTo(incWeight, incCap);
    incFlow = grownTo(incFlow, incCap);
    incPos = grownTo(incPos, incCap);
  }

  /** A block of k incidences: a freed one of that size, else fresh at the end. */
  function allocIncidences(k: number): number {
    const free = freeBlocks[k];
    if (free !== undefined && free.length > 0) return free.pop() as number;
    if (nInc + k > incCap) growIncidences(nInc + k);
    const e = nInc;
    nInc += k;
    return e;
  }

  function freeIncidences(f: number): void {
    const k = incCount[f];
    if (k === 0) return;
    while (freeBlocks.length <= k) freeBlocks.push([]);
    freeBlocks[k].push(incStart[f]);
    incCount[f] = 0;
  }

  /** Routes flow f with the current router into a block of incidences; returns its latency. */
  function route(f: number): number {
    const s = src[f];
    const d = dst[f];
    if (s === d) {
      incStart[f] = 0;
      incCount[f] = 0;
      return 0;
    }
    const paths = router.pathCount(s, d);
    if (paths <= 0) {
      throw new WeftError(
        `no route from ${fabric.nodes.names[s]} to ${fabric.nodes.names[d]} (failed links or disconnected fabric)`,
      );
    }
    const room = Math.max(1, spray ? router.maxSpread : router.maxHops);
    if (bufLinks.length < room) {
      bufLinks = new Int32Array(room);
      bufWeights = new Float64Array(room);
    }
    let k: number;
    if (spray) k = router.spread(s, d, bufLinks, bufWeights);
    else {
      k = router.path(s, d, ecmpIndex(s, d, key[f], options.seed, paths), bufLinks);
      bufWeights.fill(1, 0, k);
    }
    const first = allocIncidences(k);
    incStart[f] = first;
    incCount[f] = k;
    // Nominal bandwidth for the wire model's sums: a window is sized for the healthy fabric.
    let lat = 0;
    let perByte = 0;
    let alone = Number.POSITIVE_INFINITY;
    for (let i = 0; i < k; i++) {
      const e = first + i;
      incLink[e] = bufLinks[i];
      incWeight[e] = bufWeights[i];
      incFlow[e] = f;
      lat += bufWeights[i] * linkLat[bufLinks[i]];
      perByte += bufWeights[i] / nominal[bufLinks[i]];
      alone = Math.min(alone, nominal[bufLinks[i]] / bufWeights[i]);
    }
    solo[f] = alone;
    const w = wire;
    if (w === undefined || !wired(f)) return lat;
    winCap[f] = windowCap(w, alone, routeRtt(w, lat, perByte));
    winTime[f] = windowTime(w, lat, perByte);
    return lat + tailDelay(w, bytes[f], lat, perByte, alone);
  }

  /** Whether the wire model applies to flow f (by its tag). */
  function wired(f: number): boolean {
    return wire !== undefined && (wiredTags === undefined || wiredTags[tag[f]] === true);
  }

  function attach(f: number): void {
    const t = tag[f];
    for (let e = incStart[f]; e < incStart[f] + incCount[f]; e++) {
      const l = incLink[e];
      listPush(l, e);
      if (T > 1) {
        integrateMeetings(l, clock.now);
        tagCount[l * T + t]++;
      }
      // At flow fidelity the flow itself joins the next fill, and with it every link it crosses.
      if (!contention) touchLink(l);
    }
  }

  function detach(f: number): void {
    const t = tag[f];
    setNeck(f, -1);
    setCapLink(f, -1);
    for (let e = incStart[f]; e < incStart[f] + incCount[f]; e++) {
      const l = incLink[e];
      listRemove(l, e);
      if (T > 1) {
        integrateMeetings(l, clock.now);
        tagCount[l * T + t]--;
      }
      // At flow fidelity a link whose load drops matters to the flows it limits and to its tag rates.
      if (!contention || T > 1 || neckCount[l] > 0 || capCount[l] > 0) touchLink(l);
    }
  }

  function listPush(l: number, e: number): void {
    const n = listLen[l];
    if (n === listRoom[l]) moveList(l, n === 0 ? 4 : 2 * n);
    pool[listStart[l] + n] = e;
    incPos[e] = n;
    listLen[l] = n + 1;
  }

  /** Removes incidence e from link l's list: the last one takes its place. */
  function listRemove(l: number, e: number): void {
    const n = listLen[l] - 1;
    const last = pool[listStart[l] + n];
    if (last !== e) {
      pool[listStart[l] + incPos[e]] = last;
      incPos[last] = incPos[e];
    }
    listLen[l] = n;
  }

  function moveList(l: number, room: number): void {
    const at = takeBlock(room);
    pool.copyWithin(at, listStart[l], listStart[l] + listLen[l]);
    if (listRoom[l] > 0) freeBlock(listStart[l], listRoom[l]);
    listStart[l] = at;
    listRoom[l] = room;
  }

  function takeBlock(room: number): number {
    const free = freePool[31 - Math.clz32(room)];
    if (free !== undefined && free.length > 0) return free.pop() as number;
    if (poolUsed + room > pool.length) pool = grownTo(pool, Math.max(2 * pool.length, poolUsed + room));
    poolUsed += room;
    return poolUsed - room;
  }

  function freeBlock(at: number, room: number): void {
    const k = 31 - Math.clz32(room);
    while (freePool.length <= k) freePool.push([]);
    freePool[k].push(at);
  }

  function touchLink(l: number): void {
    // Once per recompute: a sprayed flow's start or end touches hundreds of links, many shared by the
    // other flows of the same event, and a link is looked at once however often it was touched.
    if (touchMark[l] === touchEpoch) return;
    touchMark[l] = touchEpoch;
    touchedLinks.push(l);
    ask();
  }

  function touchFlow(f: number): void {
    touchedFlows.push(f);
    ask();
  }

  function ask(): void {
    if (pending) return;
    pending = true;
    schedule(clock, clock.now, RECOMPUTE);
  }

  function startFlow(s: number, d: number, b: number, t: number, k: number, group: FlowGroup): number {
    const n = fabric.nodes.count;
    if (!(s >= 0 && s < n && d >= 0 && d < n))
      throw new WeftError(`flow endpoints ${s} -> ${d} are not nodes of the fabric (0..${n - 1})`);
    if (!(b >= 0 && Number.isFinite(b))) throw new WeftError(`flow bytes must be finite and ≥ 0, got ${b}`);
    if (!(t >= 0 && t < T)) throw new WeftError(`flow tag ${t} is outside 0..${T - 1}`);
    const f = takeSlot();
    const id = nIds++;
    if (id === finishById.length) {
      finishById = grownTo(finishById, 2 * id);
      slotById = grownTo(slotById, 2 * id);
    }
    finishById[id] = Number.POSITIVE_INFINITY;
    slotById[id] = f;
    idOf[f] = id;
    // A completion predicted for the slot's previous flow must not match this one.
    version[f]++;
    src[f] = s;
    dst[f] = d;
    key[f] = k;
    tag[f] = t;
    bytes[f] = b;
    rateCap[f] = Number.POSITIVE_INFINITY;
    neck[f] = -1;
    capLink[f] = -1;
    winCap[f] = Number.POSITIVE_INFINITY;
    winTime[f] = 0;
    // Drawn from the flow's hash key, as the batch flow engine draws it from the flow's index.
    driftZ[f] = drifting ? spreadNormal(k, options.seed) : 0;
    predicted[f] = Number.POSITIVE_INFINITY;
    groupOf[f] = group;
    group.pending++;
    latency[f] = route(f);
    for (let e = incStart[f]; e < incStart[f] + incCount[f]; e++) {
      routedTierBytes[t * TIERS + linkTier[incLink[e]]] += b * incWeight[e];
    }
    if (b === 0 || incCount[f] === 0) {
      status[f] = DONE;
      schedule(clock, clock.now + latency[f], DELIVER, f);
      return id;
    }
    status[f] = ACTIVE;
    remaining[f] = wire !== undefined && wired(f) ? wireBytes(wire, b) : b;
    rate[f] = 0;
    since[f] = clock.now;
    attach(f);
    touchFlow(f);
    return id;
  }

  function takeSlot(): number {
    if (nFree > 0) return freeSlots[--nFree];
    if (nSlots === cap) growFlows();
    return nSlots++;
  }

  function complete(f: number, t: number): void {
    status[f] = DONE;
    remaining[f] = 0;
    rate[f] = 0;
    detach(f);
    schedule(clock, t + latency[f], DELIVER, f);
  }

  function deliver(f: number): void {
    const id = idOf[f];
    finishById[id] = clock.now;
    slotById[id] = -1;
    delivered[tag[f]] += bytes[f];
    const g = groupOf[f];
    groupOf[f] = undefined as unknown as FlowGroup;
    if (clock.now >= g.lastFinish) {
      g.lastFinish = clock.now;
      g.lastLatency = latency[f];
    }
    freeIncidences(f);
    freeSlots[nFree++] = f;
    if (--g.pending === 0 && g.sealed) fire(clock, g.done);
  }

  function recompute(): void {
    const t = clock.now;
    epoch++;
    if (contention) refill(t);
    else reassess(t);
    // Completions above touched only links recomputed here: nothing is left to recompute.
    touchedLinks.length = 0;
    touchEpoch++;
    touchedFlows.length = 0;
    rescaled.length = 0;
    pending = false;
    recomputes++;
  }

  /** Analytical: the flows touched and the flows on touched links, each at its own bottleneck. */
  function reassess(t: number): void {
    compLinkCount = 0;
    compFlowCount = 0;
    for (const l of touchedLinks) addLink(l);
    const seeds = compLinkCount;
    for (let i = 0; i < seeds; i++) {
      const l = compLinks[i];
      for (let p = listStart[l]; p < listStart[l] + listLen[l]; p++) addFlow(incFlow[pool[p]]);
    }
    for (const f of touchedFlows) addFlow(f);
    for (let i = 0; i < compFlowCount; i++) {
      const f = compFlows[i];
      for (let e = incStart[f]; e < incStart[f] + incCount[f]; e++) addLink(incLink[e]);
    }
    if (T > 1) for (let i = 0; i < compLinkCount; i++) integrateMeetings(compLinks[i], t);
    const limit = t + t * TIME_TOLERANCE;
    for (let i = 0; i < compFlowCount; i++) {
      const f = compFlows[i];
      if (status[f] !== ACTIVE) continue;
      remaining[f] = Math.max(remaining[f] - rate[f] * (t - since[f]), 0);
      since[f] = t;
      oldRate[f] = rate[f];
      if (predicted[f] <= limit) complete(f, t);
    }
    for (let i = 0; i < compFlowCount; i++) ownBottleneck(compFlows[i]);
    predictChanged(t);
    if (T > 1) for (let i = 0; i < compLinkCount; i++) refreshTagRates(compLinks[i]);
  }

  /**
   * Flow fidelity: refills the rates of the flows an event can move; every other flow keeps its rate, a
   * fixed load on the links it shares with them. The region starts with the flows started, capped or
   * rerouted, every flow on a link whose capacity changed, and the flows whose bottleneck (`neck`) is a
   * link a flow left. After each fill the flows kept outside on the region's links are checked: a link
   * that saturates below the rate of one of them, or a kept flow's bottleneck that no longer saturates at
   * exactly its rate, brings that link's flows in, and the region is filled again. What is left is max-min
   * fair everywhere (every flow has a saturated link where its rate is the highest, or its own cap), and
   * the max-min allocation is unique: it is what a refill of the whole component gives.
   */
  function refill(t: number): void {
    compLinkCount = 0;
    compFlowCount = 0;
    for (const f of touchedFlows) if (status[f] === ACTIVE && flowMark[f] !== epoch) join(f, t);
    for (const l of rescaled) if (expanded[l] !== epoch) expand(l, t);
    const limit = t + t * TIME_TOLERANCE;
    let scanned = 0;
    let swept = 0;
    for (;;) {
      // A flow of the region that completes now leaves its links too: their necks join in turn.
      while (scanned < touchedLinks.length || swept < compFlowCount) {
        for (; scanned < touchedLinks.length; scanned++) {
          const l = touchedLinks[scanned];
          // Window transports refill whole components (shareByPath): every flow on a touched link joins.
          if (byPath && expanded[l] !== epoch) expand(l, t);
          else joinNecks(l, t);
        }
        for (; swept < compFlowCount; swept++) {
          const f = compFlows[swept];
          if (status[f] === ACTIVE && predicted[f] <= limit) complete(f, t);
        }
        // Sharing by path (shareByPath) fills whole components, as the batch engine does: every flow on the
        // region's links joins (and is swept in turn), so there are no kept flows to check.
        if (byPath) closeRegion(t);
      }
      if (compFlowCount === 0) break;
      violations.length = 0;
      progressiveFill();
      checkHeld();
      if (violations.length === 0 && byPath && shareByPath()) progressiveFill();
      if (violations.length === 0) break;
      for (const l of violations) if (expanded[l] !== epoch) expand(l, t);
    }
    predictChanged(t);
    if (T > 1) {
      for (let i = 0; i < compLinkCount; i++) refreshTagRates(compLinks[i]);
      // A link a flow left or joined carries other tag rates, even when no rate changed.
      for (const l of touchedLinks) {
        if (linkMark[l] === epoch) continue;
        linkMark[l] = epoch;
        refreshTagRates(l);
      }
    }
  }

  /** Every flow on every link of the region joins, until the region is a whole component. */
  function closeRegion(t: number): void {
    for (let i = 0; i < compLinkCount; i++) if (expanded[compLinks[i]] !== epoch) expand(compLinks[i], t);
  }

  /**
   * After a max-min fill of a whole component: a wired flow crossing saturated shared links worth k > 0
   * (not counting its sender's own links) gets the share sharing.ts gives — pathShare (1 / k and its RTT
   * factor), and where its own NIC does not pace it pathDelayShare (its bursts' waits on the way) and
   * driftShare — unless its fair window is under two packets (the batch engine's shareByPath, which says
   * why). Returns whether any share changed.
   */
  function shareByPath(): boolean {
    let bounded = false;
    for (let i = 0; i < compFlowCount && !bounded; i++) {
      const f = compFlows[i];
      bounded = status[f] === ACTIVE && rate[f] !== privateCap[f];
    }
    if (!bounded || wire === undefined) return false;
    let changed = false;
    for (let i = 0; i < compFlowCount; i++) {
      const f = compFlows[i];
      if (status[f] !== ACTIVE || !windowCanShrink(wire, rate[f], winTime[f])) continue;
      // The sender's own links: its NIC shares them round-robin, and paces its flows when they saturate it.
      // Shared links short of saturation delay its bursts.
      let k = 0;
      let paced = false;
      let delay = 0;
      for (let e = incStart[f]; e < incStart[f] + incCount[f]; e++) {
        const l = incLink[e];
        const own = linkFrom[l] === src[f];
        if (listLen[l] > 1 && load[l] >= capacity[l] * CONTENDED) {
          if (own) paced = true;
          else k += incWeight[e];
        } else if (!own && listLen[l] > 1) {
          const w = incWeight[e];
          delay += burstWait(wire, (load[l] - w * rate[f]) / capacity[l], w, capacity[l]);
        }
      }
      if (k === 0) continue;
      const sh = byPathShare(wire, k, paced, delay, winTime[f], rate[f], driftZ[f]);
      if (sh !== 1) {
        share[f] = sh;
        changed = true;
      }
    }
    return changed;
  }

  /** Kept flows whose bottleneck the fill crossed: it must have saturated at exactly their rate. */
  function checkHeld(): void {
    for (let i = 0; i < neckLinkCount; i++) {
      const l = neckLinks[i];
      if (!(poppedAt[l] === neckLo[l] && neckLo[l] === neckHi[l])) violations.push(l);
    }
  }

  /** The flows that link l limits join the region (its load changed). */
  function joinNecks(l: number, t: number): void {
    if (neckCount[l] === 0 && capCount[l] === 0) return;
    for (let p = listStart[l]; p < listStart[l] + listLen[l]; p++) {
      const f = incFlow[pool[p]];
      if ((neck[f] === l || capLink[f] === l) && flowMark[f] !== epoch) join(f, t);
    }
  }

  /** Every flow on link l joins the region. */
  function expand(l: number, t: number): void {
    expanded[l] = epoch;
    for (let p = listStart[l]; p < listStart[l] + listLen[l]; p++) {
      const f = incFlow[pool[p]];
      if (flowMark[f] !== epoch) join(f, t);
    }
  }

  /** Flow f joins the region: brought up to now at its old rate; its links join the fill. */
  function join(f: number, t: number): void {
    flowMark[f] = epoch;
    compFlows[compFlowCount++] = f;
    share[f] = 1;
    remaining[f] = Math.max(remaining[f] - rate[f] * (t - since[f]), 0);
    since[f] = t;
    oldRate[f] = rate[f];
    for (let e = incStart[f]; e < incStart[f] + incCount[f]; e++) {
      const l = incLink[e];
      if (linkMark[l] === epoch) continue;
      linkMark[l] = epoch;
      compLinks[compLinkCount++] = l;
      if (T > 1) integrateMeetings(l, t);
    }
  }

  /** New completion predictions for the flows whose rate the recomputation changed. */
  function predictChanged(t: number): void {
    for (let i = 0; i < compFlowCount; i++) {
      const f = compFlows[i];
      if (status[f] !== ACTIVE) continue;
      const r = rate[f];
      if (r === oldRate[f] && predicted[f] < Number.POSITIVE_INFINITY) continue;
      version[f]++;
      if (r > 0) {
        predicted[f] = t + remaining[f] / r;
        schedule(clock, predicted[f], COMPLETE, f, version[f]);
      } else predicted[f] = Number.POSITIVE_INFINITY;
    }
  }

  function addLink(l: number): void {
    if (linkMark[l] === epoch) return;
    linkMark[l] = epoch;
    compLinks[compLinkCount++] = l;
  }

  function addFlow(f: number): void {
    if (flowMark[f] === epoch || status[f] !== ACTIVE) return;
    flowMark[f] = epoch;
    compFlows[compFlowCount++] = f;
  }

  /** Analytical: the flow alone on the fabric, at min over its links of capacity / weight. */
  function ownBottleneck(f: number): void {
    if (status[f] !== ACTIVE) return;
    let r = rateCap[f];
    for (let e = incStart[f]; e < incStart[f] + incCount[f]; e++) {
      const b = capacity[incLink[e]] / incWeight[e];
      if (b < r) r = b;
    }
    rate[f] = r;
  }

  /**
   * Weighted max-min rates of the region by progressive filling (docs/flow-model.md): links in a
   * min-heap by fill level with lazy increase-key; a link one flow uses and the flow's own cap fold into
   * that flow's private cap. Flows outside the region keep their rates, a fixed load on the links they
   * share with it; a link that saturates below the rate of such a flow goes to `violations`.
   */
  function progressiveFill(): void {
    clearEventQueue(filling);
    fillEpoch++;
    neckLinkCount = 0;
    for (let i = 0; i < compFlowCount; i++) {
      privateCap[compFlows[i]] = rateCap[compFlows[i]];
      capVia[compFlows[i]] = -1;
    }
    for (let i = 0; i < compLinkCount; i++) startLink(compLinks[i]);
    for (let i = 0; i < compFlowCount; i++) {
      const f = compFlows[i];
      if (status[f] === ACTIVE && privateCap[f] < Number.POSITIVE_INFINITY)
        pushEvent(filling, privateCap[f] / share[f], -1 - f);
    }
    let fill = 0;
    while (popEvent(filling)) {
      const k = filling.topTime;
      const id = filling.topA;
      if (id < 0) {
        const f = -1 - id;
        if (frozenMark[f] === fillEpoch) continue;
        if (k > fill) fill = k;
        freeze(f, privateCap[f], -1);
        // Capped by its window on a contended link: that link's load changes bring it back.
        setCapLink(f, capVia[f] >= 0 && privateCap[f] === winCap[f] ? capVia[f] : -1);
        continue;
      }
      if (unfrozenCount[id] === 0) continue;
      if (level[id] !== k) {
        pushEvent(filling, level[id], id);
        continue;
      }
      if (k > fill) fill = k;
      saturate(id, fill);
    }
  }

  /**
   * Link l before the filling: a link only one flow of the region uses folds into its private cap; any
   * other enters the heap at its level over the load the kept flows hold, noting their top rate and the
   * rates of those it limits (for checkHeld).
   */
  function startLink(l: number): void {
    const first = listStart[l];
    const n = listLen[l];
    poppedAt[l] = -1;
    unfrozenCount[l] = 0;
    if (n === 0) return;
    if (n === 1 && flowMark[incFlow[pool[first]]] === epoch) {
      const e = pool[first];
      load[l] = 0;
      unfrozenCount[l] = 1;
      unfrozenWeight[l] = incWeight[e] * share[incFlow[e]];
      const c = capacity[l] / incWeight[e];
      if (c < privateCap[incFlow[e]]) privateCap[incFlow[e]] = c;
      return;
    }
    let w = 0;
    let held = 0;
    let count = 0;
    let top = 0;
    let lo = Number.POSITIVE_INFINITY;
    let hi = 0;
    for (let p = first; p < first + n; p++) {
      const e = pool[p];
      const f = incFlow[e];
      if (flowMark[f] === epoch) {
        w += incWeight[e] * share[f];
        count++;
        continue;
      }
      const r = rate[f];
      held += incWeight[e] * r;
      if (r > top) top = r;
      if (neck[f] === l) {
        if (r < lo) lo = r;
        if (r > hi) hi = r;
      }
    }
    if (lo !== Number.POSITIVE_INFINITY) {
      neckLo[l] = lo;
      neckHi[l] = hi;
      neckLinks[neckLinkCount++] = l;
    }
    load[l] = held;
    unfrozenCount[l] = count;
    unfrozenWeight[l] = w;
    heldTop[l] = top;
    if (windowed) capWindows(l);
    if (count === 0) return; // only kept flows left: their necks are checked after the fill
    level[l] = Math.max(0, capacity[l] - held) / w;
    pushEvent(filling, level[l], l);
  }

  /**
   * Window transports: when link l is contended (its flows at their rates alone would fill it) every flow
   * on it keeps a standing queue, so moves at most its window cap. Region flows take the cap as a private
   * cap; a kept flow above its cap makes l a violation, so it joins.
   */
  function capWindows(l: number): void {
    const first = listStart[l];
    const n = listLen[l];
    if (n < 2) return;
    let demand = 0;
    for (let p = first; p < first + n; p++) {
      const e = pool[p];
      demand += incWeight[e] * solo[incFlow[e]];
    }
    if (!(demand >= capacity[l] * CONTENDED)) return;
    for (let p = first; p < first + n; p++) {
      const f = incFlow[pool[p]];
      if (flowMark[f] !== epoch) {
        if (rate[f] > winCap[f]) violations.push(l);
      } else if (winCap[f] < privateCap[f]) {
        privateCap[f] = winCap[f];
        capVia[f] = l;
      }
    }
  }

  /** Link l saturates at fill level `fill`: its unfrozen flows of the region freeze there. */
  function saturate(l: number, fill: number): void {
    poppedAt[l] = fill;
    if (heldTop[l] > fill) violations.push(l);
    const end = listStart[l] + listLen[l];
    for (let p = listStart[l]; p < end && unfrozenCount[l] > 0; p++) {
      const f = incFlow[pool[p]];
      if (flowMark[f] === epoch && frozenMark[f] !== fillEpoch) freeze(f, share[f] * fill, l);
    }
  }

  function freeze(f: number, r: number, via: number): void {
    frozenMark[f] = fillEpoch;
    rate[f] = r;
    setNeck(f, via);
    for (let e = incStart[f]; e < incStart[f] + incCount[f]; e++) {
      const l = incLink[e];
      const w = incWeight[e];
      load[l] += w * r;
      unfrozenWeight[l] -= w * share[f];
      if (--unfrozenCount[l] > 0) level[l] = Math.max(0, capacity[l] - load[l]) / unfrozenWeight[l];
    }
  }

  function setCapLink(f: number, l: number): void {
    const old = capLink[f];
    if (old === l) return;
    if (old >= 0) capCount[old]--;
    if (l >= 0) capCount[l]++;
    capLink[f] = l;
  }

  function setNeck(f: number, l: number): void {
    const old = neck[f];
    if (old === l) return;
    if (old >= 0) neckCount[old]--;
    if (l >= 0) neckCount[l]++;
    neck[f] = l;
  }

  /** Adds what link l carried since it was last integrated to the meetings of the tags on it. */
  function integrateMeetings(l: number, t: number): void {
    const dt = t - metSince[l];
    metSince[l] = t;
    if (!(dt > 0)) return;
    const base = l * T;
    const tier = linkTier[l];
    for (let a = 0; a < T; a++) {
      if (tagCount[base + a] === 0) continue;
      for (let b = 0; b < T; b++) {
        if (b === a || tagRate[base + b] === 0) continue;
        const m = tagRate[base + b] * dt;
        meetings.met[(a * T + b) * TIERS + tier] += m;
        meetings.linkMet[l] += m;
        meetings.linkTags[l] |= (1 << a) | (1 << b);
      }
    }
  }

  function refreshTagRates(l: number): void {
    const base = l * T;
    tagRate.fill(0, base, base + T);
    for (let p = listStart[l]; p < listStart[l] + listLen[l]; p++) {
      const e = pool[p];
      const f = incFlow[e];
      tagRate[base + tag[f]] += incWeight[e] * rate[f];
    }
  }

  const net: Network = {
    fidelity: options.fidelity,
    clock,
    fabric,
    get router() {
      return router;
    },
    set router(r: Router) {
      router = r;
    },
    startFlow,
    capRate(id, r) {
      if (!(r > 0)) throw new WeftError(`a rate cap must be > 0 bytes/s, got ${r}`);
      const f = slotById[id];
      if (f < 0 || status[f] !== ACTIVE) return;
      rateCap[f] = r;
      touchFlow(f);
    },
    setLinkScale(l, scale) {
      if (!(scale >= 0 && scale <= 1)) throw new WeftError(`a link scale must be in [0, 1], got ${scale}`);
      capacity[l] = nominal[l] * scale;
      if (contention) rescaled.push(l);
      touchLink(l);
    },
    reroute(next, failed) {
      router = next;
      failedMask = failed;
      const t = clock.now;
      // In the order the flows started, as they attached.
      for (let id = 0; id < nIds; id++) {
        const f = slotById[id];
        if (f < 0 || status[f] !== ACTIVE || !crossesFailed(f)) continue;
        remaining[f] = Math.max(remaining[f] - rate[f] * (t - since[f]), 0);
        since[f] = t;
        detach(f);
        freeIncidences(f);
        latency[f] = route(f);
        attach(f);
        touchFlow(f);
      }
    },
    linkLoad(l) {
      let sum = 0;
      for (let p = listStart[l]; p < listStart[l] + listLen[l]; p++) {
        const e = pool[p];
        sum += incWeight[e] * rate[incFlow[e]];
      }
      return sum;
    },
    finishOf: (id) => finishById[id],
    deliveredBytes: (t) => delivered[t],
    tierBytes: (t, tier) => routedTierBytes[t * TIERS + tier],
    meetings,
    stats: (): NetworkStats => ({ flows: nIds, events, recomputes }),
  };

  function crossesFailed(f: number): boolean {
    if (!failedMask) return false;
    for (let e = incStart[f]; e < incStart[f] + incCount[f]; e++) if (failedMask[incLink[e]]) return true;
    return false;
  }

  return net;
}
