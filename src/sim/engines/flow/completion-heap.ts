/**
 * Predicted completion times, one entry per active flow: an indexed binary min-heap ordered by (time, flow
 * id), with each flow's heap position kept so a rate change moves its entry in O(log n) instead of leaving
 * a stale copy behind. Memory stays at one entry per flow however often rates change; ties pop by flow id,
 * so the order is deterministic.
 */

export interface CompletionHeap {
  size: number;
  /** Heap slots: flow ids. */
  flow: Int32Array;
  /** Predicted transfer end per flow id. */
  time: Float64Array;
  /** Heap slot per flow id, -1 when absent. */
  pos: Int32Array;
}

export function makeCompletionHeap(flows: number): CompletionHeap {
  return {
    size: 0,
    flow: new Int32Array(flows),
    time: new Float64Array(flows),
    pos: new Int32Array(flows).fill(-1),
  };
}

/** Inserts flow f at time t, or moves it there. */
export function scheduleCompletion(h: CompletionHeap, f: number, t: number): void {
  const old = h.pos[f];
  h.time[f] = t;
  if (old < 0) {
    const i = h.size++;
    h.flow[i] = f;
    h.pos[f] = i;
    siftUp(h, i);
  } else {
    siftUp(h, old);
    siftDown(h, h.pos[f]);
  }
}

export function removeCompletion(h: CompletionHeap, f: number): void {
  const i = h.pos[f];
  if (i < 0) return;
  h.pos[f] = -1;
  const last = --h.size;
  if (i === last) return;
  const g = h.flow[last];
  h.flow[i] = g;
  h.pos[g] = i;
  siftUp(h, i);
  siftDown(h, h.pos[g]);
}

/** The flow that completes first, or -1. */
export function firstCompletion(h: CompletionHeap): number {
  return h.size > 0 ? h.flow[0] : -1;
}

function less(h: CompletionHeap, a: number, b: number): boolean {
  const ta = h.time[a];
  const tb = h.time[b];
  return ta < tb || (ta === tb && a < b);
}

function siftUp(h: CompletionHeap, i: number): void {
  const f = h.flow[i];
  while (i > 0) {
    const p = (i - 1) >> 1;
    const g = h.flow[p];
    if (!less(h, f, g)) break;
    h.flow[i] = g;
    h.pos[g] = i;
    i = p;
  }
  h.flow[i] = f;
  h.pos[f] = i;
}

function siftDown(h: CompletionHeap, i: number): void {
  const f = h.flow[i];
  const n = h.size;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    let c = l;
    if (l + 1 < n && less(h, h.flow[l + 1], h.flow[l])) c = l + 1;
    const g = h.flow[c];
    if (!less(h, g, f)) break;
    h.flow[i] = g;
    h.pos[g] = i;
    i = c;
  }
  h.flow[i] = f;
  h.pos[f] = i;
}
