/**
 * Packet records, struct-of-arrays in a pool with a free list: a packet is an index, creating one pops the
 * free list and freeing it pushes it back, so the steady state allocates nothing. Arrays double when the
 * pool runs dry (rare: the pool only needs as many records as packets in flight at once).
 *
 * A packet is in at most one place at a time (a queue, a pipe, a NIC control queue), so `next`/`prev` link it
 * into that place's list. Its route is a copy of the links it crosses (`route[p * maxHops + hop]`); `hop`
 * is the index of the link it is on or about to enter.
 */
export const PacketKind = { data: 0, ack: 1, nack: 2, credit: 3, cnp: 4 } as const;

/** Flag bits. */
export const F_ECN = 1; // congestion experienced (set by a queue)
export const F_TRIMMED = 2; // payload cut by a full queue: header only
export const F_AR = 4; // ack requested now (last packet of a window or of the flow)
export const F_RTX = 8; // a retransmission
export const F_ECN_ECHO = 16; // on an ack: the data packet it answers was marked
export const F_LAST_HOP = 32; // on a nack: the trim happened at the last queue (the receiver's downlink)
export const F_REVERSE = 64; // travels receiver → sender (control packets)

export interface PacketPool {
  capacity: number;
  maxHops: number;
  freeHead: number;
  live: number;
  kind: Uint8Array;
  flags: Uint8Array;
  hop: Uint8Array;
  hops: Uint8Array;
  size: Int32Array;
  flow: Int32Array;
  psn: Int32Array;
  next: Int32Array;
  prev: Int32Array;
  /** Entropy value (path id) the packet was sent with. */
  ev: Int32Array;
  /** Path index in the router's path set of the packet's (src, dst). */
  path: Int32Array;
  /** Link the packet arrived on at the switch that holds it (for PFC ingress accounting), -1 at a source. */
  ingress: Int32Array;
  /** Hop at which the packet was trimmed. */
  trimHop: Int32Array;
  /** Ack fields: cumulative ack, sack base, sack bits (low, high 32). Reused: credit pull number. */
  x: Int32Array;
  y: Int32Array;
  bitsLo: Int32Array;
  bitsHi: Int32Array;
  /** Ack: bytes the receiver has taken in so far; data: the sender's pull target (RCCC). */
  v: Float64Array;
  /** Time the packet leaves the pipe it is in, picoseconds. */
  t: Float64Array;
  route: Int32Array;
}

export function makePacketPool(capacity: number, maxHops: number): PacketPool {
  const cap = Math.max(64, capacity);
  const pool: PacketPool = {
    capacity: cap,
    maxHops,
    freeHead: -1,
    live: 0,
    kind: new Uint8Array(cap),
    flags: new Uint8Array(cap),
    hop: new Uint8Array(cap),
    hops: new Uint8Array(cap),
    size: new Int32Array(cap),
    flow: new Int32Array(cap),
    psn: new Int32Array(cap),
    next: new Int32Array(cap),
    prev: new Int32Array(cap),
    ev: new Int32Array(cap),
    path: new Int32Array(cap),
    ingress: new Int32Array(cap),
    trimHop: new Int32Array(cap),
    x: new Int32Array(cap),
    y: new Int32Array(cap),
    bitsLo: new Int32Array(cap),
    bitsHi: new Int32Array(cap),
    v: new Float64Array(cap),
    t: new Float64Array(cap),
    route: new Int32Array(cap * maxHops),
  };
  chainFree(pool, 0, cap);
  return pool;
}

/** A fresh packet record: kind and size set, everything else cleared. */
export function allocPacket(pool: PacketPool, kind: number, size: number, flow: number): number {
  if (pool.freeHead < 0) growPool(pool);
  const p = pool.freeHead;
  pool.freeHead = pool.next[p];
  pool.live++;
  pool.kind[p] = kind;
  pool.flags[p] = 0;
  pool.size[p] = size;
  pool.flow[p] = flow;
  pool.psn[p] = 0;
  pool.next[p] = -1;
  pool.prev[p] = -1;
  pool.ev[p] = 0;
  pool.path[p] = 0;
  pool.ingress[p] = -1;
  pool.trimHop[p] = -1;
  pool.hop[p] = 0;
  pool.hops[p] = 0;
  pool.x[p] = 0;
  pool.y[p] = 0;
  pool.bitsLo[p] = 0;
  pool.bitsHi[p] = 0;
  pool.v[p] = 0;
  return p;
}

export function freePacket(pool: PacketPool, p: number): void {
  pool.next[p] = pool.freeHead;
  pool.freeHead = p;
  pool.live--;
}

function chainFree(pool: PacketPool, from: number, to: number): void {
  for (let i = from; i < to - 1; i++) pool.next[i] = i + 1;
  pool.next[to - 1] = pool.freeHead;
  pool.freeHead = from;
}

function growPool(pool: PacketPool): void {
  const old = pool.capacity;
  const cap = old * 2;
  const grow = <T extends Uint8Array | Int32Array | Float64Array>(a: T, n = cap): T => {
    const b = new (a.constructor as new (n: number) => T)(n);
    b.set(a);
    return b;
  };
  pool.kind = grow(pool.kind);
  pool.flags = grow(pool.flags);
  pool.hop = grow(pool.hop);
  pool.hops = grow(pool.hops);
  pool.size = grow(pool.size);
  pool.flow = grow(pool.flow);
  pool.psn = grow(pool.psn);
  pool.next = grow(pool.next);
  pool.prev = grow(pool.prev);
  pool.ev = grow(pool.ev);
  pool.path = grow(pool.path);
  pool.ingress = grow(pool.ingress);
  pool.trimHop = grow(pool.trimHop);
  pool.x = grow(pool.x);
  pool.y = grow(pool.y);
  pool.bitsLo = grow(pool.bitsLo);
  pool.bitsHi = grow(pool.bitsHi);
  pool.v = grow(pool.v);
  pool.t = grow(pool.t);
  pool.route = grow(pool.route, cap * pool.maxHops);
  pool.capacity = cap;
  chainFree(pool, old, cap);
}
