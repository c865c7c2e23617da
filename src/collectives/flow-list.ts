/**
 * A growable list of transfers that becomes a FlowSet. Transfers between the same pair in one step can be
 * merged into one flow (the channels of a ring between two GPUs of a domain share the same links anyway),
 * which keeps a 16K-rank phase at tens of thousands of flows rather than hundreds of thousands. Merging
 * looks the pair up in a per-source chain (a rank sends to a handful of peers per step), not a hash map.
 */
import { type FlowSet, makeFlowSet } from "../sim/flows.js";

export interface FlowList {
  count: number;
  src: Int32Array;
  dst: Int32Array;
  bytes: Float64Array;
  /** When merging: last flow added per source node (−1 none), and the previous flow of the same source. */
  lastOfSrc?: Int32Array;
  prevOfSrc?: Int32Array;
}

/** `nodes` = fabric node count; `merge` folds repeated (src, dst) pairs into one flow. */
export function flowList(nodes: number, merge: boolean, capacity = 64): FlowList {
  const cap = Math.max(16, capacity);
  return {
    count: 0,
    src: new Int32Array(cap),
    dst: new Int32Array(cap),
    bytes: new Float64Array(cap),
    ...(merge ? { lastOfSrc: new Int32Array(nodes).fill(-1), prevOfSrc: new Int32Array(cap) } : {}),
  };
}

export function addFlow(list: FlowList, src: number, dst: number, bytes: number): void {
  if (src === dst || bytes <= 0) return;
  const last = list.lastOfSrc;
  if (last) {
    for (let f = last[src]; f >= 0; f = list.prevOfSrc![f]) {
      if (list.dst[f] === dst) {
        list.bytes[f] += bytes;
        return;
      }
    }
  }
  if (list.count === list.src.length) grow(list);
  const f = list.count++;
  list.src[f] = src;
  list.dst[f] = dst;
  list.bytes[f] = bytes;
  if (last) {
    list.prevOfSrc![f] = last[src];
    last[src] = f;
  }
}

export function toFlowSet(list: FlowList): FlowSet {
  const set = makeFlowSet(list.count);
  set.src.set(list.src.subarray(0, list.count));
  set.dst.set(list.dst.subarray(0, list.count));
  set.bytes.set(list.bytes.subarray(0, list.count));
  return set;
}

function grow(list: FlowList): void {
  const cap = list.src.length * 2;
  list.src = grownInt(list.src, cap);
  list.dst = grownInt(list.dst, cap);
  const bytes = new Float64Array(cap);
  bytes.set(list.bytes);
  list.bytes = bytes;
  if (list.prevOfSrc) list.prevOfSrc = grownInt(list.prevOfSrc, cap);
}

function grownInt(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
