/**
 * The min-heap of a progressive filling: entries (key, id), popped by key, equal keys in push order, as
 * the clock's event queue orders its events (so a filling pops exactly what it would pop from one). It
 * carries one id instead of the queue's three payload slots, so a sift moves three arrays, not five: the
 * filling is the hot loop of every max-min refill.
 */

export interface FillHeap {
  size: number;
  key: Float64Array;
  /** Push order, the tie-break: a filling pushes far fewer than 2^31 entries. */
  seq: Int32Array;
  id: Int32Array;
  nextSeq: number;
  /** The entry `popFill` removed last. */
  topKey: number;
  topId: number;
}

export function makeFillHeap(initialCapacity = 64): FillHeap {
  const cap = Math.max(4, Math.floor(initialCapacity));
  return {
    size: 0,
    key: new Float64Array(cap),
    seq: new Int32Array(cap),
    id: new Int32Array(cap),
    nextSeq: 0,
    topKey: Number.NaN,
    topId: -1,
  };
}

/** Empties the heap for the next filling; push order restarts. */
export function clearFill(h: FillHeap): void {
  h.size = 0;
  h.nextSeq = 0;
}

export function pushFill(h: FillHeap, key: number, id: number): void {
  if (h.size === h.key.length) grow(h);
  const seq = h.nextSeq++;
  const keys = h.key;
  const seqs = h.seq;
  let i = h.size++;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const pk = keys[p];
    if (pk < key || (pk === key && seqs[p] < seq)) break;
    keys[i] = pk;
    seqs[i] = seqs[p];
    h.id[i] = h.id[p];
    i = p;
  }
  keys[i] = key;
  seqs[i] = seq;
  h.id[i] = id;
}

/** Removes the least entry into `topKey` and `topId`; false when the heap is empty. */
export function popFill(h: FillHeap): boolean {
  if (h.size === 0) return false;
  const keys = h.key;
  const seqs = h.seq;
  const ids = h.id;
  h.topKey = keys[0];
  h.topId = ids[0];
  const last = --h.size;
  if (last === 0) return true;
  const k = keys[last];
  const s = seqs[last];
  let i = 0;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= last) break;
    let ck = keys[c];
    const r = c + 1;
    if (r < last) {
      const rk = keys[r];
      if (rk < ck || (rk === ck && seqs[r] < seqs[c])) {
        c = r;
        ck = rk;
      }
    }
    if (k < ck || (k === ck && s < seqs[c])) break;
    keys[i] = ck;
    seqs[i] = seqs[c];
    ids[i] = ids[c];
    i = c;
  }
  keys[i] = k;
  seqs[i] = s;
  ids[i] = ids[last];
  return true;
}

function grow(h: FillHeap): void {
  const cap = h.key.length * 2;
  const key = new Float64Array(cap);
  key.set(h.key);
  const seq = new Int32Array(cap);
  seq.set(h.seq);
  const id = new Int32Array(cap);
  id.set(h.id);
  h.key = key;
  h.seq = seq;
  h.id = id;
}
