/**
 * The whole state of one packet-level run, struct-of-arrays: links (an output queue at the link's source and
 * a pipe for its propagation delay, htsim's queue → pipe hop), NICs (per endpoint node), flows (sender and
 * receiver state), per-packet send records (a ring per flow indexed by PSN) and counters. Every hot-path
 * function takes this object and numeric ids; nothing here is allocated per packet.
 */
import type { Router } from "../../../routing/types.js";
import type { Fabric } from "../../../topology/fabric.js";
import type { EventQueue } from "../../event-queue.js";
import type { PacketPool } from "./packets.js";
import type { PacketParams } from "./params.js";
import type { PathCache } from "./paths.js";

export interface PacketCounters {
  /** Events processed. */
  events: number;
  /** New data packets sent (retransmissions not included). */
  dataPackets: number;
  retransmissions: number;
  /** Acks, nacks, credits and CNPs sent. */
  controlPackets: number;
  trims: number;
  /** Packets dropped by full queues. */
  drops: number;
  /** Packets lost on failed links. */
  failureDrops: number;
  /** PAUSE frames sent. */
  pfcPauses: number;
  ecnMarks: number;
  nacks: number;
  timeouts: number;
  cnps: number;
  credits: number;
}

export interface LinkState {
  count: number;
  from: Int32Array;
  to: Int32Array;
  psPerByte: Float64Array;
  basePsPerByte: Float64Array;
  latPs: Float64Array;
  /** Data bytes the queue holds before trimming or dropping (Infinity at endpoints: a NIC never drops). */
  capacity: Float64Array;
  fromSwitch: Uint8Array;
  /** The queue ECN-marks data: switch queues, except the last hop to a receiver under receiver credits. */
  marks: Uint8Array;
  hiHead: Int32Array;
  hiTail: Int32Array;
  loHead: Int32Array;
  loTail: Int32Array;
  hiBytes: Float64Array;
  loBytes: Float64Array;
  /** Packet being serialized, -1 when idle. */
  serving: Int32Array;
  servingHi: Uint8Array;
  /** PFC: the data class may not be served. */
  paused: Uint8Array;
  pipeHead: Int32Array;
  pipeTail: Int32Array;
  maxBytes: Float64Array;
  dead: Uint8Array;
  /** Routes avoid the link (set once a failure is detected). */
  avoid: Uint8Array;
  /** PFC: data bytes held by the switch at `to` that arrived over this link, and the pause thresholds. */
  ingressBytes: Float64Array;
  pauseSent: Uint8Array;
  xoff: Float64Array;
  xon: Float64Array;
}

/** NIC ports, indexed by their out-link; credit pacers, indexed by the receiving endpoint's node. */
export interface NicState {
  busy: Uint8Array;
  dataHead: Int32Array;
  dataTail: Int32Array;
  /** Flows waiting in the port's list. */
  active: Int32Array;
  ctrlHead: Int32Array;
  ctrlTail: Int32Array;
  crt: Int32Array;
  /** RCCC credit pacer of a receiving endpoint: flows waiting for credit, whether it is scheduled, its rate. */
  pacerHead: Int32Array;
  pacerTail: Int32Array;
  pacerOn: Uint8Array;
  pacerPsPerByte: Float64Array;
}

export interface FlowState {
  count: number;
  src: Int32Array;
  dst: Int32Array;
  bytes: Float64Array;
  /** ECMP hash key (the flow's index in a batch run; the caller's key on a network). */
  key: Int32Array;
  /** Owner (a job) for the per-owner accounting of a network; 0 in a batch run. */
  tag: Int32Array;
  /** Rate cap: picoseconds per byte (0 = none), and the earliest time the next packet may leave. */
  capPsPerByte: Float64Array;
  capNextPs: Float64Array;
  startPs: Float64Array;
  totalPackets: Int32Array;
  /** The NIC port (out-link) the flow sends on: the first link of its path 0; -1 without a route. */
  port: Int32Array;
  /** 0 waiting, 1 running, 2 done, 3 unroutable. */
  status: Uint8Array;
  finishPs: Float64Array;
  // sender
  backlog: Float64Array;
  nextPsn: Int32Array;
  cumAck: Int32Array;
  inFlight: Float64Array;
  rtxCount: Int32Array;
  inNic: Uint8Array;
  nicNext: Int32Array;
  rtoAt: Float64Array;
  lastRecvd: Float64Array;
  window: Int32Array;
  // NSCC
  cwnd: Float64Array;
  maxwnd: Float64Array;
  baseRtt: Float64Array;
  avgDelay: Float64Array;
  achieved: Float64Array;
  bytesToIgnore: Float64Array;
  bytesIgnored: Float64Array;
  incBytes: Float64Array;
  receivedBytes: Float64Array;
  lastAdjust: Float64Array;
  lastDec: Float64Array;
  qaEnd: Float64Array;
  triggerQa: Uint8Array;
  fiCount: Float64Array;
  increasing: Uint8Array;
  // entropy (multipath)
  evIndex: Int32Array;
  evXor: Int32Array;
  evPenalty: Uint8Array;
  evRing: Int32Array;
  evRingHead: Int32Array;
  evRingCount: Int32Array;
  // DCQCN
  rc: Float64Array;
  rt: Float64Array;
  dAlpha: Float64Array;
  dT: Int32Array;
  dBC: Int32Array;
  byteCounter: Float64Array;
  lastCnpAt: Float64Array;
  lastAlphaAt: Float64Array;
  nextSendPs: Float64Array;
  wakeAt: Float64Array;
  dcqcnTimerAt: Float64Array;
  // RCCC sender
  credit: Float64Array;
  speculating: Uint8Array;
  pullSeen: Float64Array;
  // receiver
  expected: Int32Array;
  oooCount: Int32Array;
  rcvBytes: Float64Array;
  accepted: Float64Array;
  ackRequest: Uint8Array;
  gotData: Uint8Array;
  nackSent: Uint8Array;
  cnpSentAt: Float64Array;
  cnpPending: Uint8Array;
  highestPull: Float64Array;
  latestPull: Float64Array;
  inPacer: Uint8Array;
  pullNext: Int32Array;
  // send records: ring of `window` entries at `recBase`, indexed by psn & (window - 1)
  recBase: Int32Array;
  recSendPs: Float64Array;
  recSize: Int32Array;
  /** 0 nothing outstanding, 1 in flight, 2 waiting for retransmission. */
  recState: Uint8Array;
  recTx: Uint8Array;
  /** Receiver: 1 when this PSN arrived above a hole. */
  rcvBit: Uint8Array;
}

export interface PacketSim {
  fabric: Fabric;
  router: Router;
  p: PacketParams;
  now: number;
  heap: EventQueue;
  pool: PacketPool;
  links: LinkState;
  nic: NicState;
  flows: FlowState;
  paths: PathCache;
  rng: number;
  done: number;
  counters: PacketCounters;
  /** Scratch for building routes. */
  scratch: Int32Array;
  /** Send-record slots handed out so far (the rings of flows 0..count−1). */
  recUsed: number;
  trace?: QueueTraceBuffer;
  /** Called when a flow is delivered (a network signals its owner). */
  onFlowDone?: (f: number) => void;
  /** Per-owner and per-link accounting of a network (absent in a batch run). */
  usage?: PacketUsage;
}

/**
 * What crossed where, counted as each data packet leaves a link's queue: per link the data bytes served;
 * per owner and tier the payload bytes × links; and where owners met: while owner a sent on link l (a data
 * packet of a's crossed l within the last `windowPs`), owner b's packets through l count as met.
 */
export interface PacketUsage {
  tags: number;
  windowPs: number;
  linkServed: Float64Array;
  /** lastSeen[l · tags + a]: when a data packet of owner a last left link l's queue (−Infinity: never). */
  lastSeen: Float64Array;
  tierBytes: Float64Array;
  met: Float64Array;
  linkMet: Float64Array;
  linkTags: Int32Array;
}

/** Samples of queue occupancy: parallel arrays, grown by doubling. */
export interface QueueTraceBuffer {
  count: number;
  timePs: Float64Array;
  link: Int32Array;
  bytes: Float64Array;
  /** Last recorded value per link, to record changes only. */
  last: Float64Array;
}

/** A fast deterministic PRNG step (xorshift32); returns a float in [0, 1). */
export function nextRandom(sim: PacketSim): number {
  let x = sim.rng;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  sim.rng = x;
  return (x >>> 0) / 4294967296;
}

export function nextRandomInt(sim: PacketSim, n: number): number {
  return Math.floor(nextRandom(sim) * n);
}

/** All zero; the key order is the order results list the counters in. */
export function emptyCounters(): PacketCounters {
  return {
    events: 0,
    dataPackets: 0,
    retransmissions: 0,
    controlPackets: 0,
    trims: 0,
    drops: 0,
    failureDrops: 0,
    pfcPauses: 0,
    ecnMarks: 0,
    nacks: 0,
    timeouts: 0,
    cnps: 0,
    credits: 0,
  };
}
