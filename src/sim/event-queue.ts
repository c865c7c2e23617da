/**
 * The one event queue of every simulation (the clock, the packet engine, the fabric manager, max-min's
 * filling order): a deterministic priority queue ordered by (time, sequence), where the sequence is the
 * push order. Two events at the same time therefore pop in the order they were pushed, so a run never
 * depends on how the heap happens to break ties.
 *
 * A 4-ary min-heap: half the depth of a binary one, so a pop touches fewer cache lines (the packet engine
 * pops tens of millions). Struct-of-arrays: times, sequences and three payload slots (two integers, one
 * float) live in typed arrays that grow by doubling; push and pop allocate nothing. `popEvent` leaves the
 * popped event in the queue's `top*` fields instead of returning an object.
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
  const times = q.time;
  const seqs = q.seq;
  // Sift up: move parents down until the new event's place is found, then write it once.
  let i = q.size++;
  while (i > 0) {
    const p = (i - 1) >> 2;
    const pt = times[p];
    if (pt < time || (pt === time && seqs[p] < seq)) break;
    move(q, p, i);
    i = p;
  }
  times[i] = time;
  seqs[i] = seq;
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
  // Sift the last event down from the root: the earliest of up to four children moves up.
  const times = q.time;
  const seqs = q.seq;
  const t = times[last];
  const s = seqs[last];
  let i = 0;
  for (;;) {
    const first = 4 * i + 1;
    if (first >= last) break;
    let c = first;
    let ct = times[first];
    let cs = seqs[first];
    const end = Math.min(first + 4, last);
    for (let j = first + 1; j < end; j++) {
      const jt = times[j];
      if (jt < ct || (jt === ct && seqs[j] < cs)) {
        c = j;
        ct = jt;
        cs = seqs[j];
      }
    }
    if (t < ct || (t === ct && s < cs)) break;
    move(q, c, i);
    i = c;
  }
  move(q, last, i);
  return true;
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
