/**
 * The fluid networks on the shared clock: `flow` shares every link max-min fairly among the flows active
 * on it (weighted progressive filling, as the flow engine), `analytical` gives each flow its own
 * bottleneck with no contention. Both apply the current link capacities, so a degraded or failed link
 * slows the flows on it at either fidelity.
 *
 * Flows arrive one by one. A start, a completion, a rate cap or a capacity change marks the links (flow
 * fidelity) or flows (analytical) it touched and asks for one recomputation at the current time; all the
 * events of that instant share it. The recomputation brings the touched component up to date (remaining
 * bytes at the old rates), refills its rates, and predicts each changed flow's completion on the clock.
 * A prediction made stale by a later rate change is skipped by its version stamp, so nothing is removed
 * from the queue. Flows whose predicted completion is within a relative 1e-12 of now complete together.
 *
 * Hot state is typed arrays indexed by numeric flow, incidence and link ids; per link, the active
 * incidences sit in a list with O(1) swap-removal.
 */
import { WeftError } from "../../errors.js";
import { ecmpIndex } from "../../routing/ecmp.js";
import type { LoadBalancing, Router } from "../../routing/types.js";
import { type Fabric, LINK_TIER_NAMES } from "../../topology/fabric.js";
import { grownTo } from "../../typed-arrays.js";
import { type Clock, registerHandler, schedule } from "../clock.js";
import { clearEventQueue, makeEventQueue, popEvent, pushEvent } from "../event-queue.js";
import { fire } from "../process.js";
import type { FlowGroup, Meetings, Network, NetworkStats } from "./types.js";

export interface FluidNetworkOptions {
  fidelity: "analytical" | "flow";
  loadBalancing: LoadBalancing;
  seed: number;
  /** Owners the meeting accounting tells apart (flows carry a tag < tags). */
  tags?: number;
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
  let router = initialRouter;
  let failedMask: Uint8Array | undefined;
  let bufLinks = new Int32Array(16);
  let bufWeights = new Float64Array(16);

  // Per flow.
  let cap = 1024;
  let nFlows = 0;
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
  let finish = new Float64Array(cap);
  let incStart = new Int32Array(cap);
  let incCount = new Int32Array(cap);
  let flowMark = new Int32Array(cap);
  let frozenMark = new Int32Array(cap);
  let privateCap = new Float64Array(cap);
  const groupOf: FlowGroup[] = [];

  // Per incidence (flow × link), allocated in order and never reused.
  let incCap = 4096;
  let nInc = 0;
  let incLink = new Int32Array(incCap);
  let incWeight = new Float64Array(incCap);
  let incFlow = new Int32Array(incCap);
  let incPos = new Int32Array(incCap);

  // Per link.
  const linkIncs: number[][] = Array.from({ length: L }, () => []);
  const linkMark = new Int32Array(L);
  const load = new Float64Array(L);
  const unfrozenWeight = new Float64Array(L);
  const unfrozenCount = new Int32Array(L);
  const level = new Float64Array(L);
  const compLinks = new Int32Array(L);
  let compFlows = new Int32Array(cap);
  let compLinkCount = 0;
  let compFlowCount = 0;
  let epoch = 0;
  const filling = makeEventQueue(1024);

  // Touched since the last recomputation.
  const touchedLinks: number[] = [];
  const touchedFlows: number[] = [];
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
    finish = grownTo(finish, cap);
    incStart = grownTo(incStart, cap);
    incCount = grownTo(incCount, cap);
    flowMark = grownTo(flowMark, cap);
    frozenMark = grownTo(frozenMark, cap);
    privateCap = grownTo(privateCap, cap);
    compFlows = grownTo(compFlows, cap);
  }

  function growIncidences(need: number): void {
    while (incCap < need) incCap *= 2;
    incLink = grownTo(incLink, incCap);
    incWeight = grownTo(incWeight, incCap);
    incFlow = grownTo(incFlow, incCap);
    incPos = grownTo(incPos, incCap);
  }

  /** Routes flow f with the current router into fresh incidences; returns its latency. */
  function route(f: number): number {
    const s = src[f];
    const d = dst[f];
    if (s === d) {
      incStart[f] = nInc;
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
    if (nInc + k > incCap) growIncidences(nInc + k);
    incStart[f] = nInc;
    incCount[f] = k;
    let lat = 0;
    for (let i = 0; i < k; i++) {
      const e = nInc++;
      incLink[e] = bufLinks[i];
      incWeight[e] = bufWeights[i];
      incFlow[e] = f;
      lat += bufWeights[i] * linkLat[bufLinks[i]];
    }
    return lat;
  }

  function attach(f: number): void {
    const t = tag[f];
    for (let e = incStart[f]; e < incStart[f] + incCount[f]; e++) {
      const l = incLink[e];
      const list = linkIncs[l];
      incPos[e] = list.length;
      list.push(e);
      if (T > 1) {
        integrateMeetings(l, clock.now);
        tagCount[l * T + t]++;
      }
      touchLink(l);
    }
  }

  function detach(f: number): void {
    const t = tag[f];
    for (let e = incStart[f]; e < incStart[f] + incCount[f]; e++) {
      const l = incLink[e];
      const list = linkIncs[l];
      const last = list.pop() as number;
      if (last !== e) {
        list[incPos[e]] = last;
        incPos[last] = incPos[e];
      }
      if (T > 1) {
        integrateMeetings(l, clock.now);
        tagCount[l * T + t]--;
      }
      touchLink(l);
    }
  }

  function touchLink(l: number): void {
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
    if (nFlows === cap) growFlows();
    const f = nFlows++;
    src[f] = s;
    dst[f] = d;
    key[f] = k;
    tag[f] = t;
    bytes[f] = b;
    rateCap[f] = Number.POSITIVE_INFINITY;
    finish[f] = Number.POSITIVE_INFINITY;
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
      return f;
    }
    status[f] = ACTIVE;
    remaining[f] = b;
    rate[f] = 0;
    since[f] = clock.now;
    attach(f);
    if (!contention) touchFlow(f);
    return f;
  }

  function complete(f: number, t: number): void {
    status[f] = DONE;
    remaining[f] = 0;
    rate[f] = 0;
    detach(f);
    schedule(clock, t + latency[f], DELIVER, f);
  }

  function deliver(f: number): void {
    finish[f] = clock.now;
    delivered[tag[f]] += bytes[f];
    const g = groupOf[f];
    groupOf[f] = undefined as unknown as FlowGroup;
    if (clock.now >= g.lastFinish) {
      g.lastFinish = clock.now;
      g.lastLatency = latency[f];
    }
    if (--g.pending === 0 && g.sealed) fire(clock, g.done);
  }

  function recompute(): void {
    const t = clock.now;
    epoch++;
    collect();
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
    if (contention) progressiveFill();
    else for (let i = 0; i < compFlowCount; i++) ownBottleneck(compFlows[i]);
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
    if (T > 1) for (let i = 0; i < compLinkCount; i++) refreshTagRates(compLinks[i]);
    // Completions above touched only links of this component: nothing is left to recompute.
    touchedLinks.length = 0;
    touchedFlows.length = 0;
    pending = false;
    recomputes++;
  }

  /**
   * The component to recompute. Flow fidelity: every link touched, and transitively every active flow on
   * those links and the links those flows cross (a rate change on one link can move rates anywhere in
   * its component). Analytical: the flows touched and the flows on touched links; their links.
   */
  function collect(): void {
    compLinkCount = 0;
    compFlowCount = 0;
    for (const l of touchedLinks) addLink(l);
    if (contention) {
      for (let i = 0; i < compLinkCount; i++) {
        const list = linkIncs[compLinks[i]];
        for (let j = 0; j < list.length; j++) {
          const f = incFlow[list[j]];
          if (flowMark[f] === epoch) continue;
          addFlow(f);
          for (let e = incStart[f]; e < incStart[f] + incCount[f]; e++) addLink(incLink[e]);
        }
      }
      return;
    }
    const seeds = compLinkCount;
    for (let i = 0; i < seeds; i++) {
      const list = linkIncs[compLinks[i]];
      for (let j = 0; j < list.length; j++) addFlow(incFlow[list[j]]);
    }
    for (const f of touchedFlows) addFlow(f);
    for (let i = 0; i < compFlowCount; i++) {
      const f = compFlows[i];
      for (let e = incStart[f]; e < incStart[f] + incCount[f]; e++) addLink(incLink[e]);
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
   * Weighted max-min rates of the component by progressive filling (docs/flow-model.md): links in a
   * min-heap by fill level with lazy increase-key; a link one flow uses and the flow's own cap fold into
   * that flow's private cap.
   */
  function progressiveFill(): void {
    clearEventQueue(filling);
    for (let i = 0; i < compFlowCount; i++) privateCap[compFlows[i]] = rateCap[compFlows[i]];
    for (let i = 0; i < compLinkCount; i++) {
      const l = compLinks[i];
      const list = linkIncs[l];
      const n = list.length;
      load[l] = 0;
      unfrozenCount[l] = n;
      if (n === 1) {
        const e = list[0];
        unfrozenWeight[l] = incWeight[e];
        const c = capacity[l] / incWeight[e];
        if (c < privateCap[incFlow[e]]) privateCap[incFlow[e]] = c;
      } else if (n > 1) {
        let w = 0;
        for (let j = 0; j < n; j++) w += incWeight[list[j]];
        unfrozenWeight[l] = w;
        level[l] = capacity[l] / w;
        pushEvent(filling, level[l], l);
      }
    }
    for (let i = 0; i < compFlowCount; i++) {
      const f = compFlows[i];
      if (status[f] === ACTIVE && privateCap[f] < Number.POSITIVE_INFINITY)
        pushEvent(filling, privateCap[f], -1 - f);
    }
    let fill = 0;
    while (popEvent(filling)) {
      const k = filling.topTime;
      const id = filling.topA;
      if (id < 0) {
        const f = -1 - id;
        if (frozenMark[f] === epoch) continue;
        if (k > fill) fill = k;
        freeze(f, fill);
        continue;
      }
      if (unfrozenCount[id] === 0) continue;
      if (level[id] !== k) {
        pushEvent(filling, level[id], id);
        continue;
      }
      if (k > fill) fill = k;
      const list = linkIncs[id];
      for (let j = 0; j < list.length && unfrozenCount[id] > 0; j++) {
        const f = incFlow[list[j]];
        if (frozenMark[f] !== epoch) freeze(f, fill);
      }
    }
  }

  function freeze(f: number, r: number): void {
    frozenMark[f] = epoch;
    rate[f] = r;
    for (let e = incStart[f]; e < incStart[f] + incCount[f]; e++) {
      const l = incLink[e];
      const w = incWeight[e];
      load[l] += w * r;
      unfrozenWeight[l] -= w;
      if (--unfrozenCount[l] > 0) level[l] = Math.max(0, capacity[l] - load[l]) / unfrozenWeight[l];
    }
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
    const list = linkIncs[l];
    for (let j = 0; j < list.length; j++) {
      const e = list[j];
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
    capRate(f, r) {
      if (!(r > 0)) throw new WeftError(`a rate cap must be > 0 bytes/s, got ${r}`);
      rateCap[f] = r;
      if (status[f] !== ACTIVE) return;
      if (contention) for (let e = incStart[f]; e < incStart[f] + incCount[f]; e++) touchLink(incLink[e]);
      else touchFlow(f);
    },
    setLinkScale(l, scale) {
      if (!(scale >= 0 && scale <= 1)) throw new WeftError(`a link scale must be in [0, 1], got ${scale}`);
      capacity[l] = nominal[l] * scale;
      touchLink(l);
    },
    reroute(next, failed) {
      router = next;
      failedMask = failed;
      const t = clock.now;
      for (let f = 0; f < nFlows; f++) {
        if (status[f] !== ACTIVE || !crossesFailed(f)) continue;
        remaining[f] = Math.max(remaining[f] - rate[f] * (t - since[f]), 0);
        since[f] = t;
        detach(f);
        latency[f] = route(f);
        attach(f);
        if (!contention) touchFlow(f);
      }
    },
    linkLoad(l) {
      let sum = 0;
      for (const e of linkIncs[l]) sum += incWeight[e] * rate[incFlow[e]];
      return sum;
    },
    finishOf: (f) => finish[f],
    deliveredBytes: (t) => delivered[t],
    tierBytes: (t, tier) => routedTierBytes[t * TIERS + tier],
    meetings,
    stats: (): NetworkStats => ({ flows: nFlows, events, recomputes }),
  };

  function crossesFailed(f: number): boolean {
    if (!failedMask) return false;
    for (let e = incStart[f]; e < incStart[f] + incCount[f]; e++) if (failedMask[incLink[e]]) return true;
    return false;
  }

  return net;
}
