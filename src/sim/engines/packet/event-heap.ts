/**
 * The packet engine's event queue: a 4-ary min-heap of (time, sequence, code) in typed arrays, ordered by time
 * and then by push order, so runs are deterministic. A code packs the event type (low 4 bits) and the id of
 * what it concerns (link, flow, endpoint) so an event is two numbers and nothing is allocated per event.
 * A 4-ary heap halves the depth of a binary one; with a few thousand pending events (one per busy queue and
 * pipe, not one per packet) a pop costs a handful of cache lines.
 */
import { grownTo } from "../../../typed-arrays.js";

export interface EventHeap {
  size: number;
  time: Float64Array;
  seq: Float64Array;
  code: Int32Array;
  nextSeq: number;
  /** Time of the event `popEvent` returned last. */
  topTime: number;
}

export const EVENT_TYPE_BITS = 4;
export const EVENT_TYPE_MASK = (1 << EVENT_TYPE_BITS) - 1;

export function makeEventHeap(capacity = 1024): EventHeap {
  const cap = Math.max(16, capacity);
  return {
    size: 0,
    time: new Float64Array(cap),
    seq: new Float64Array(cap),
    code: new Int32Array(cap),
    nextSeq: 0,
    topTime: 0,
  };
}

export function eventCode(type: number, id: number): number {
  return type | (id << EVENT_TYPE_BITS);
}

export function pushEvent(h: EventHeap, time: number, code: number): void {
  if (h.size === h.time.length) growHeap(h);
  const seq = h.nextSeq++;
  const times = h.time;
  const seqs = h.seq;
  const codes = h.code;
  let i = h.size++;
  while (i > 0) {
    const p = (i - 1) >> 2;
    const pt = times[p];
    if (pt < time || (pt === time && seqs[p] < seq)) break;
    times[i] = pt;
    seqs[i] = seqs[p];
    codes[i] = codes[p];
    i = p;
  }
  times[i] = time;
  seqs[i] = seq;
  codes[i] = code;
}

/** Removes the earliest event and returns its code (time in `h.topTime`); -1 when empty. */
export function popEvent(h: EventHeap): number {
  const n = h.size;
  if (n === 0) return -1;
  const times = h.time;
  const seqs = h.seq;
  const codes = h.code;
  const code = codes[0];
  h.topTime = times[0];
  const last = n - 1;
  h.size = last;
  if (last === 0) return code;
  const t = times[last];
  const s = seqs[last];
  const c = codes[last];
  let i = 0;
  for (;;) {
    const first = 4 * i + 1;
    if (first >= last) break;
    let best = first;
    let bt = times[first];
    let bs = seqs[first];
    const end = Math.min(first + 4, last);
    for (let j = first + 1; j < end; j++) {
      const jt = times[j];
      if (jt < bt || (jt === bt && seqs[j] < bs)) {
        best = j;
        bt = jt;
        bs = seqs[j];
      }
    }
    if (bt > t || (bt === t && bs > s)) break;
    times[i] = bt;
    seqs[i] = bs;
    codes[i] = codes[best];
    i = best;
  }
  times[i] = t;
  seqs[i] = s;
  codes[i] = c;
  return code;
}

function growHeap(h: EventHeap): void {
  const cap = h.time.length * 2;
  h.time = grownTo(h.time, cap);
  h.seq = grownTo(h.seq, cap);
  h.code = grownTo(h.code, cap);
}
