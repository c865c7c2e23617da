/**
 * The part of the network an event can change: starting from the links of the flows that arrived or
 * finished (the seeds, already in `compLinks`), the connected component of the bipartite graph of active
 * flows and their links. Max-min rates outside it cannot change, so only it is recomputed.
 */
import { ACTIVE, type FlowSimState } from "./state.js";

/** Adds link `l` to the current component's seeds unless it is already in. */
export function seedLink(s: FlowSimState, l: number): void {
  if (s.linkMark[l] === s.epoch) return;
  s.linkMark[l] = s.epoch;
  s.compLinks[s.compLinkCount++] = l;
}

/**
 * Breadth-first search from the seeds; fills compFlows and completes compLinks. The seeds after the first
 * wait aside until the search from the first is done, so the result also tells whether everything found is
 * one connected component (what `everyActiveFlow` relies on).
 */
export function collectComponent(s: FlowSimState): boolean {
  const seeds = s.compLinkCount;
  const waiting = s.waitingSeeds;
  for (let i = 1; i < seeds; i++) {
    const l = s.compLinks[i];
    waiting[i - 1] = l;
    s.linkMark[l] = s.epoch - 1; // unseeded: the search may reach it
  }
  s.compLinkCount = Math.min(seeds, 1);
  s.compFlowCount = 0;
  let head = search(s, 0);
  const first = s.compFlowCount;
  for (let i = 0; i < seeds - 1; i++) {
    seedLink(s, waiting[i]);
    head = search(s, head);
  }
  return first === s.compFlowCount;
}

/** Searches on from queue position `head` until the queue is empty; returns the new head. */
function search(s: FlowSimState, head: number): number {
  const { routes, linkStart, linkActive, linkInc, incFlow, flowMark, compFlows, epoch } = s;
  for (; head < s.compLinkCount; head++) {
    const l = s.compLinks[head];
    const end = linkStart[l] + linkActive[l];
    for (let slot = linkStart[l]; slot < end; slot++) {
      const f = incFlow[linkInc[slot]];
      if (flowMark[f] === epoch) continue;
      flowMark[f] = epoch;
      compFlows[s.compFlowCount++] = f;
      for (let e = routes.start[f]; e < routes.start[f + 1]; e++) seedLink(s, routes.link[e]);
    }
  }
  return head;
}

/**
 * The component when the last one was connected and held every active flow, and only completions came
 * since: the flows still active (in the last component's order), and every link that carries one (the
 * seeds already in `compLinks`, then the rest by id).
 */
export function everyActiveFlow(s: FlowSimState): void {
  const { compFlows, status, flowMark, linkActive, linkMark, epoch } = s;
  let kept = 0;
  for (let i = 0; i < s.compFlowCount; i++) {
    const f = compFlows[i];
    if (status[f] !== ACTIVE) continue;
    flowMark[f] = epoch;
    compFlows[kept++] = f;
  }
  s.compFlowCount = kept;
  for (let l = 0; l < linkActive.length; l++) if (linkActive[l] > 0 && linkMark[l] !== epoch) seedLink(s, l);
}
