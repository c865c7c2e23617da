/**
 * The one priority queue of every simulation (the clock, the packet engine, the fabric manager, max-min's
 * progressive filling): ordered by (time, sequence), where the sequence is the push order. Two entries at
 * the same time therefore pop in the order they were pushed, so a run never depends on how the heap
 * happens to break ties.
 *
 * A binary min-heap; the heap itself holds (time, sequence, slot), and an entry's payload (two integers
 * and a float) sits in its slot, taken from a free list when pushed and given back when popped, so a sift
 * moves three numbers whatever the payload. (Measured on the packet, flow and multi-job benchmarks: a
 * 4-ary heap was no faster, and a heap specialized to the filling's one id no faster than this.) Struct-of-arrays in typed arrays that grow by doubling; push
 * and pop allocate nothing. `popEvent` leaves the popped entry in the queue's `top*` fields instead of
 * returning an object.
 */

export interface EventQueue {
  /** Entries in the heap. */
  size: number;
  /** Heap order: times, sequences and payload slots. */
  time: Float64Array;
  seq: Float64Array;
  slot: Int32Array;
  /** Payload by slot. */
  a: Int32Array;
  b: Int32Array;
  value: Float64Array;
  /** Slots given back, and how many. */
  free: Int32Array;
  freeCount: number;
  /** Slots ever handed out. */
  slots: number;
  /** Next sequence number (a float64 counts exactly to 2^53). */
  nextSeq: number;
  /** The entry `popEvent` removed last. */
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
    slot: new Int32Array(cap),
    a: new Int32Array(cap),
    b: new Int32Array(cap),
    value: new Float64Array(cap),
    free: new Int32Array(cap),
    freeCount: 0,
    slots: 0,
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
  q.freeCount = 0;
  q.slots = 0;
}

export function pushEvent(q: EventQueue, time: number, a = 0, b = 0, value = 0): void {
  if (Number.isNaN(time)) throw new RangeError("event time is NaN");
  if (q.size === q.time.length) grow(q);
  const s = q.freeCount > 0 ? q.free[--q.freeCount] : q.slots++;
  q.a[s] = a;
  q.b[s] = b;
  q.value[s] = value;
  const seq = q.nextSeq++;
  const times = q.time;
  const seqs = q.seq;
  const slots = q.slot;
  // Sift up: move parents down until the new entry's place is found, then write it once.
  let i = q.size++;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const pt = times[p];
    if (pt < time || (pt === time && seqs[p] < seq)) break;
    times[i] = pt;
    seqs[i] = seqs[p];
    slots[i] = slots[p];
    i = p;
  }
  times[i] = time;
  seqs[i] = seq;
  slots[i] = s;
}

/** Time of the earliest entry, or +Infinity when the queue is empty. */
export function peekTime(q: EventQueue): number {
  return q.size > 0 ? q.time[0] : Number.POSITIVE_INFINITY;
}

/** Removes the earliest entry into `q.top*`; returns false when the queue is empty. */
export function popEvent(q: EventQueue): boolean {
  if (q.size === 0) return false;
  const times = q.time;
  const seqs = q.seq;
  const slots = q.slot;
  const top = slots[0];
  q.topTime = times[0];
  q.topA = q.a[top];
  q.topB = q.b[top];
  q.topValue = q.value[top];
  q.free[q.freeCount++] = top;
  const last = --q.size;
  if (last === 0) return true;
  // Sift the last entry down from the root: the earlier child moves up.
  const t = times[last];
  const s = seqs[last];
  const sl = slots[last];
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= last) break;
    let c = l;
    let ct = times[l];
    let cs = seqs[l];
    const r = l + 1;
    if (r < last) {
      const rt = times[r];
      if (rt < ct || (rt === ct && seqs[r] < cs)) {
        c = r;
        ct = rt;
        cs = seqs[r];
      }
    }
    if (t < ct || (t === ct && s < cs)) break;
    times[i] = ct;
    seqs[i] = cs;
    slots[i] = slots[c];
    i = c;
  }
  times[i] = t;
  seqs[i] = s;
  slots[i] = sl;
  return true;
}

function grow(q: EventQueue): void {
  const cap = q.time.length * 2;
  q.time = copyInto(new Float64Array(cap), q.time);
  q.seq = copyInto(new Float64Array(cap), q.seq);
  q.slot = copyInto(new Int32Array(cap), q.slot);
  q.a = copyInto(new Int32Array(cap), q.a);
  q.b = copyInto(new Int32Array(cap), q.b);
  q.value = copyInto(new Float64Array(cap), q.value);
  q.free = copyInto(new Int32Array(cap), q.free);
}

function copyInto<T extends Float64Array | Int32Array>(dst: T, src: T): T {
  dst.set(src);
  return dst;
}
