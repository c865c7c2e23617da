/**
 * Weighted max-min fair rates for the current component, by progressive filling (Bertsekas & Gallager,
 * Data Networks, §6.5.2): raise the rate of every unfrozen flow together; a flow with weight w on link l
 * uses w × rate there. Link l saturates at fill level (capacity − frozen load) / (Σ weights of its unfrozen
 * flows); the link with the lowest level saturates first and freezes its unfrozen flows at that level.
 *
 * Links wait in a min-heap keyed by their saturation level. Freezing a flow at the current fill level can
 * only raise the level of the other links it crosses (it stops growing there), so a heap key is always a
 * lower bound of its link's level: when a link pops with a key below its current level it is pushed back
 * with that level (lazy increase-key), and when it pops with its current level it is the true minimum.
 * Freezing thus touches no heap; cost O(E + P log L) for E incidences, L links and P pops. Links used by a
 * single flow of the component enter as that flow's private cap (see initialLevels), which keeps host links
 * and uncontended hops out of the heap. With a window transport (wire.ts) a flow on a contended link also
 * gets its window cap as a private cap.
 *
 * Flow classes: flows promised interchangeable (FlowSet.klass) get one rate; the first member to freeze
 * freezes the whole class at its level, so the class costs one freeze decision instead of one per member.
 */
import { clearEventQueue, popEvent, pushEvent } from "../../event-queue.js";
import { CONTENDED } from "../wire.js";
import type { FlowSimState } from "./state.js";

export function progressiveFill(s: FlowSimState): void {
  const { filling, level, unfrozenCount } = s;
  // Frozen marks are per fill: a window transport's refill may fill the same component twice.
  const fillEpoch = ++s.fillEpoch;
  clearEventQueue(filling);
  initialLevels(s);
  let fill = 0;
  while (popEvent(filling)) {
    const key = filling.topTime;
    const id = filling.topA;
    if (id < 0) {
      // A flow's private cap: a link it alone uses (a host link, an uncontended hop) saturates.
      const f = -1 - id;
      if (s.frozenMark[f] === fillEpoch) continue;
      if (key > fill) fill = key;
      freezeWithClass(s, f, s.privateCap[f]);
      continue;
    }
    if (unfrozenCount[id] === 0) continue;
    if (level[id] !== key) {
      pushEvent(filling, level[id], id); // the link's level rose since it was pushed
      continue;
    }
    if (key > fill) fill = key;
    const end = s.linkStart[id] + s.linkActive[id];
    for (let slot = s.linkStart[id]; slot < end && unfrozenCount[id] > 0; slot++) {
      const f = s.incFlow[s.linkInc[slot]];
      if (s.frozenMark[f] !== fillEpoch) freezeWithClass(s, f, s.share[f] * fill);
    }
  }
}

/**
 * Fill levels at the start: a link shared by several flows enters the heap with capacity / Σ weights; a
 * link with a single flow never changes level until that flow freezes, so it folds into the flow's private
 * cap (min over such links of capacity / weight) and the flow enters the heap once instead of once per link.
 */
function initialLevels(s: FlowSimState): void {
  const { capacity, linkStart, linkActive, linkInc, incFlow, compLinks, compFlows, filling } = s;
  const { routes, load, unfrozenWeight, unfrozenCount, level, privateCap, share } = s;
  for (let i = 0; i < s.compFlowCount; i++) privateCap[compFlows[i]] = Number.POSITIVE_INFINITY;
  for (let i = 0; i < s.compLinkCount; i++) {
    const l = compLinks[i];
    const start = linkStart[l];
    const n = linkActive[l];
    load[l] = 0;
    unfrozenCount[l] = n;
    if (n === 1) {
      const e = linkInc[start];
      const f = incFlow[e];
      unfrozenWeight[l] = routes.weight[e] * share[f];
      const cap = capacity[l] / routes.weight[e];
      if (cap < privateCap[f]) privateCap[f] = cap;
    } else if (n > 1) {
      let w = 0;
      if (s.windowed && contended(s, l)) w = capWindows(s, l);
      else if (s.byPath) {
        for (let slot = start; slot < start + n; slot++) {
          const e = linkInc[slot];
          w += routes.weight[e] * share[incFlow[e]];
        }
      } else for (let slot = start; slot < start + n; slot++) w += routes.weight[linkInc[slot]]; // shares all 1
      unfrozenWeight[l] = w;
      level[l] = capacity[l] / w;
      pushEvent(filling, level[l], l);
    }
  }
  for (let i = 0; i < s.compFlowCount; i++) {
    const f = compFlows[i];
    // A flow of share σ moves at σ × the fill level: it reaches its private cap at cap / σ.
    if (privateCap[f] < Number.POSITIVE_INFINITY) pushEvent(filling, privateCap[f] / share[f], -1 - f);
  }
}

/** A link is contended when more than one flow shares it and, each at its rate alone, they would fill it. */
export function contended(s: FlowSimState, l: number): boolean {
  return s.linkActive[l] > 1 && s.demand[l] >= s.capacity[l] * CONTENDED;
}

/**
 * The flows on contended link l keep a standing queue: each moves at most its window over RTT + queue.
 * Returns the sum of their weights on l (what initialLevels needs of the same walk).
 */
function capWindows(s: FlowSimState, l: number): number {
  const { linkStart, linkActive, linkInc, incFlow, privateCap, windowCap, routes, share } = s;
  let w = 0;
  for (let slot = linkStart[l]; slot < linkStart[l] + linkActive[l]; slot++) {
    const e = linkInc[slot];
    const f = incFlow[e];
    w += routes.weight[e] * share[f];
    if (windowCap[f] < privateCap[f]) privateCap[f] = windowCap[f];
  }
  return w;
}

function freezeWithClass(s: FlowSimState, f: number, rate: number): void {
  freeze(s, f, rate);
  const c = s.classOf[f];
  if (c >= 0 && s.classMark[c] !== s.fillEpoch) freezeClass(s, c, rate);
}

/** Freezes the active, unfrozen members of class c that are in the component. */
function freezeClass(s: FlowSimState, c: number, rate: number): void {
  s.classMark[c] = s.fillEpoch;
  for (let i = s.classStart[c]; i < s.classStart[c + 1]; i++) {
    const g = s.classFlows[i];
    if (s.flowMark[g] === s.epoch && s.frozenMark[g] !== s.fillEpoch) freeze(s, g, rate);
  }
}

function freeze(s: FlowSimState, f: number, rate: number): void {
  const { routes, capacity, load, unfrozenWeight, unfrozenCount, level } = s;
  const share = s.share[f];
  s.frozenMark[f] = s.fillEpoch;
  s.rate[f] = rate;
  for (let e = routes.start[f]; e < routes.start[f + 1]; e++) {
    const l = routes.link[e];
    const w = routes.weight[e];
    load[l] += w * rate;
    unfrozenWeight[l] -= w * share;
    if (--unfrozenCount[l] > 0) level[l] = (capacity[l] - load[l]) / unfrozenWeight[l];
  }
}
