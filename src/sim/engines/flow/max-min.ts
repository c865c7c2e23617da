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
 * Freezing thus touches no heap; cost O(E + P log L) for E incidences, L links and P pops.
 *
 * Flow classes: flows promised interchangeable (FlowSet.klass) get one rate; the first member to freeze
 * freezes the whole class at its level, so the class costs one freeze decision instead of one per member.
 */
import { clearEventQueue, popEvent, pushEvent } from "../../event-queue.js";
import type { FlowSimState } from "./state.js";

export function progressiveFill(s: FlowSimState): void {
  const { capacity, linkStart, linkActive, linkInc, incFlow, compLinks, filling, epoch } = s;
  const { routes, load, unfrozenWeight, unfrozenCount, level } = s;
  clearEventQueue(filling);
  for (let i = 0; i < s.compLinkCount; i++) {
    const l = compLinks[i];
    let w = 0;
    const end = linkStart[l] + linkActive[l];
    for (let slot = linkStart[l]; slot < end; slot++) w += routes.weight[linkInc[slot]];
    load[l] = 0;
    unfrozenWeight[l] = w;
    unfrozenCount[l] = linkActive[l];
    if (linkActive[l] > 0) {
      level[l] = capacity[l] / w;
      pushEvent(filling, level[l], l);
    }
  }
  let fill = 0;
  while (popEvent(filling)) {
    const l = filling.topA;
    if (unfrozenCount[l] === 0) continue;
    if (level[l] !== filling.topTime) {
      pushEvent(filling, level[l], l); // the link's level rose since it was pushed
      continue;
    }
    if (filling.topTime > fill) fill = filling.topTime;
    const end = linkStart[l] + linkActive[l];
    for (let slot = linkStart[l]; slot < end && unfrozenCount[l] > 0; slot++) {
      const f = incFlow[linkInc[slot]];
      if (s.frozenMark[f] === epoch) continue;
      freeze(s, f, fill);
      const c = s.classOf[f];
      if (c >= 0 && s.classMark[c] !== epoch) freezeClass(s, c, fill);
    }
  }
}

/** Freezes the active, unfrozen members of class c that are in the component. */
function freezeClass(s: FlowSimState, c: number, rate: number): void {
  s.classMark[c] = s.epoch;
  for (let i = s.classStart[c]; i < s.classStart[c + 1]; i++) {
    const g = s.classFlows[i];
    if (s.flowMark[g] === s.epoch && s.frozenMark[g] !== s.epoch) freeze(s, g, rate);
  }
}

function freeze(s: FlowSimState, f: number, rate: number): void {
  const { routes, capacity, load, unfrozenWeight, unfrozenCount, level } = s;
  s.frozenMark[f] = s.epoch;
  s.rate[f] = rate;
  for (let e = routes.start[f]; e < routes.start[f + 1]; e++) {
    const l = routes.link[e];
    const w = routes.weight[e];
    load[l] += w * rate;
    unfrozenWeight[l] -= w;
    if (--unfrozenCount[l] > 0) level[l] = (capacity[l] - load[l]) / unfrozenWeight[l];
  }
}
