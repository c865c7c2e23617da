/**
 * Keeps each link's active incidences in the prefix of its segment: a flow that starts swaps its incidences
 * into the prefix, a flow that ends swaps them out. O(1) per incidence, no allocation.
 */
import type { FlowSimState } from "./state.js";

export function activateIncidences(s: FlowSimState, f: number): void {
  const { routes, linkStart, linkActive } = s;
  for (let e = routes.start[f]; e < routes.start[f + 1]; e++) {
    const l = routes.link[e];
    swapSlots(s, s.incSlot[e], linkStart[l] + linkActive[l]);
    linkActive[l]++;
  }
}

export function deactivateIncidences(s: FlowSimState, f: number): void {
  const { routes, linkStart, linkActive } = s;
  for (let e = routes.start[f]; e < routes.start[f + 1]; e++) {
    const l = routes.link[e];
    linkActive[l]--;
    swapSlots(s, s.incSlot[e], linkStart[l] + linkActive[l]);
  }
}

function swapSlots(s: FlowSimState, p: number, q: number): void {
  if (p === q) return;
  const { linkInc, incSlot } = s;
  const a = linkInc[p];
  const b = linkInc[q];
  linkInc[p] = b;
  linkInc[q] = a;
  incSlot[b] = p;
  incSlot[a] = q;
}
