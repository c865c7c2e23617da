/**
 * The part of the network an event can change: starting from the links of the flows that arrived or
 * finished (the seeds, already in `compLinks`), the connected component of the bipartite graph of active
 * flows and their links. Max-min rates outside it cannot change, so only it is recomputed.
 */
import type { FlowSimState } from "./state.js";

/** Adds link `l` to the current component's seeds unless it is already in. */
export function seedLink(s: FlowSimState, l: number): void {
  if (s.linkMark[l] === s.epoch) return;
  s.linkMark[l] = s.epoch;
  s.compLinks[s.compLinkCount++] = l;
}

/** Breadth-first search from the seeds; fills compFlows and completes compLinks. */
export function collectComponent(s: FlowSimState): void {
  const { routes, linkStart, linkActive, linkInc, incFlow, flowMark, compFlows, epoch } = s;
  s.compFlowCount = 0;
  for (let head = 0; head < s.compLinkCount; head++) {
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
}
