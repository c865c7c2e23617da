/**
 * Keeps each link's active incidences in the prefix of its segment: a flow that starts swaps its incidences
 * into the prefix, a flow that ends swaps them out. O(1) per incidence, no allocation.
 */
import type { FlowSimState } from "./state.js";

/** Incidence e, of a flow that starts, joins link l's active prefix. */
export function activateIncidence(s: FlowSimState, e: number, l: number): void {
  swapSlots(s, s.incSlot[e], s.linkStart[l] + s.linkActive[l]);
  s.linkActive[l]++;
}

/** Incidence e, of a flow that ends, leaves link l's active prefix. */
export function deactivateIncidence(s: FlowSimState, e: number, l: number): void {
  s.linkActive[l]--;
  swapSlots(s, s.incSlot[e], s.linkStart[l] + s.linkActive[l]);
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
