/**
 * A deterministic priority queue of events: a binary min-heap ordered by (time, sequence), where the
 * sequence is the push order. Two events at the same time therefore pop in the order they were pushed, so a
 * run never depends on how the heap happens to break ties.
 *
 * Struct-of-arrays: times, sequences and three payload slots (two integers, one float) live in typed arrays
 * that grow by doubling; push and pop allocate nothing. `popEvent` leaves the popped event in the queue's
 * `top*` fields instead of returning an object.
 */

export interface EventQueue {
  /** Events in the heap. */
  size: number;
  time: Float64Array;
  seq: Float64Array;
  a: Int32Array;
  b: Int32Array;
  value: Float64Array;
  /** Next sequence number (a float64 counts exactly to 2^53). */
  nextSeq: number;
  /** The event `popEvent` removed last. */
  topTime: number;
  topA: number;
  topB: number;
  topValue: number;
}

export function makeEventQueue(initialCapacity = 64): EventQueue {
  const cap = Math.max(4, Math.floor(initialCapacity));
  return {
    size: 0,
    time: new Float64Array(cap),
    seq: new Float64Array(cap),
    a: new Int32Array(cap),
    b: new Int32Array(cap),
    value: new Float64Array(cap),
    nextSeq: 0,
    topTime: Number.NaN,
    topA: -1,
    topB: -1,
    topValue: Number.NaN,
  };
}

/** Empties the queue, keeping its storage; sequence numbers restart so a reused queue replays identically. */
export function clearEventQueue(q: EventQueue): void {
  q.size = 0;
  q.nextSeq = 0;
}

export function pushEvent(q: EventQueue, time: number, a = 0, b = 0, value = 0): void {
  if (Number.isNaN(time)) throw new RangeError("event time is NaN");
  if (q.size === q.time.length) grow(q);
  const seq = q.nextSeq++;
  // Sift up: move parents down until the new event's place is found, then write it once.
  let i = q.size++;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const pt = q.time[p];
    if (pt < time || (pt === time && q.seq[p] < seq)) break;
    move(q, p, i);
    i = p;
  }
  q.time[i] = time;
  q.seq[i] = seq;
  q.a[i] = a;
  q.b[i] = b;
  q.value[i] = value;
}

/** Time of the earliest event, or +Infinity when the queue is empty. */
export function peekTime(q: EventQueue): number {
  return q.size > 0 ? q.time[0] : Number.POSITIVE_INFINITY;
}

/** Removes the earliest event into `q.top*`; returns false when the queue is empty. */
export function popEvent(q: EventQueue): boolean {
  if (q.size === 0) return false;
  q.topTime = q.time[0];
  q.topA = q.a[0];
  q.topB = q.b[0];
  q.topValue = q.value[0];
  const last = --q.size;
  if (last === 0) return true;
  // Sift the last event down from the root.
  const t = q.time[last];
  const s = q.seq[last];
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= last) break;
    const r = l + 1;
    let c = l;
    if (r < last && before(q, r, l)) c = r;
    const ct = q.time[c];
    if (t < ct || (t === ct && s < q.seq[c])) break;
    move(q, c, i);
    i = c;
  }
  move(q, last, i);
  return true;
}

function before(q: EventQueue, i: number, j: number): boolean {
  const ti = q.time[i];
  const tj = q.time[j];
  return ti < tj || (ti === tj && q.seq[i] < q.seq[j]);
}

function move(q: EventQueue, from: number, to: number): void {
  q.time[to] = q.time[from];
  q.seq[to] = q.seq[from];
  q.a[to] = q.a[from];
  q.b[to] = q.b[from];
  q.value[to] = q.value[from];
}

function grow(q: EventQueue): void {
  const cap = q.time.length * 2;
  q.time = copyInto(new Float64Array(cap), q.time);
  q.seq = copyInto(new Float64Array(cap), q.seq);
  q.a = copyInto(new Int32Array(cap), q.a);
  q.b = copyInto(new Int32Array(cap), q.b);
  q.value = copyInto(new Float64Array(cap), q.value);
}

function copyInto<T extends Float64Array | Int32Array>(dst: T, src: T): T {
  dst.set(src);
  return dst;
}
