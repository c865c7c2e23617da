/**
 * Builds the state of a run from the fabric, the router and the flows: link queues with their rates and
 * buffers, NICs, per-flow transport state and send-record rings, and the network constants (largest unloaded
 * RTT, fastest NIC) the transports scale by.
 */
import { WeftError } from "../../../errors.js";
import type { Router } from "../../../routing/types.js";
import { type Fabric, LinkTier, NodeKind } from "../../../topology/fabric.js";
import { type GrowableArray, grownTo } from "../../../typed-arrays.js";
import { formatCount } from "../../../units/format.js";
import { makeEventQueue } from "../../event-queue.js";
import type { FlowSet } from "../../flows.js";
import { dcqcnInit } from "./dcqcn.js";
import { initEntropy } from "./multipath.js";
import { nsccInit } from "./nscc.js";
import { makePacketPool } from "./packets.js";
import { deriveParams, HEADER_BYTES, type PacketEngineOptions, resolveTransport } from "./params.js";
import { growPathCounts, makePathCache } from "./paths.js";
import { pfcThresholds } from "./pfc.js";
import { rcccInit } from "./rccc.js";
import { emptyCounters, type FlowState, type LinkState, type NicState, type PacketSim } from "./state.js";
import { toPs } from "./time.js";

export function makeSim(
  fabric: Fabric,
  router: Router,
  flows: FlowSet,
  options: PacketEngineOptions,
): PacketSim {
  const t = resolveTransport(options);
  const scratch = new Int32Array(Math.max(1, router.maxHops) + 8);
  const scale = networkScale(
    fabric,
    router,
    flows,
    t.mtu,
    fastestSender(fabric, router, flows, scratch),
    scratch,
  );
  const sim = makeEmptySim(fabric, router, options, scale, flows.count);
  // Every flow is added before the run starts, so each receiver's credit pacer has its final rate by then.
  for (let f = 0; f < flows.count; f++) {
    addFlow(sim, flows.src[f], flows.dst[f], flows.bytes[f], toPs(flows.start[f]), f, 0);
  }
  return sim;
}

/**
 * A run with no flows yet, its constants derived from `scale` (the largest unloaded RTT and the fastest
 * NIC); `flows` sizes the first allocation (flows are added with `addFlow`, and the arrays grow).
 */
export function makeEmptySim(
  fabric: Fabric,
  router: Router,
  options: PacketEngineOptions,
  scale: { rttPs: number; rate: number },
  flows: number,
): PacketSim {
  const t = resolveTransport(options);
  const maxHops = Math.max(1, router.maxHops);
  const p = deriveParams(options, t, scale.rttPs, scale.rate);
  const links = makeLinks(fabric, p.buffer, p.rccc);
  const sim: PacketSim = {
    fabric,
    router,
    p,
    now: 0,
    heap: makeEventQueue(4 * links.count + 2 * flows + 64),
    pool: makePacketPool(Math.min(1 << 20, Math.max(1024, flows * 96)), maxHops),
    links,
    nic: makeNics(fabric, new Float64Array(fabric.nodes.count)),
    flows: makeFlowState(Math.max(16, flows)),
    paths: makePathCache(maxHops, Math.max(16, flows), p.evCount),
    rng: (Math.imul(options.seed | 0, 0x9e3779b1) ^ 0x2545f491) | 1,
    done: 0,
    counters: emptyCounters(),
    scratch: new Int32Array(maxHops + 8),
    recUsed: 0,
  };
  if (p.pfc) pfcThresholds(sim);
  return sim;
}

/**
 * The scale of a whole fabric, for a network whose flows are not known in advance: the largest unloaded
 * RTT between the first endpoint and the last of every group (the diameter of a hierarchy built in
 * placement order) and within each group, and the fastest link out of an endpoint.
 */
export function fabricScale(fabric: Fabric, router: Router, mtu: number): { rttPs: number; rate: number } {
  const scratch = new Int32Array(Math.max(1, router.maxHops) + 8);
  const ends = fabric.groups.filter((g) => g.endpoints.length > 0);
  const first = ends[0]?.endpoints[0] ?? -1;
  let rtt = 0;
  for (const g of ends) {
    const last = g.endpoints[g.endpoints.length - 1];
    for (const [a, b] of [
      [first, last],
      [g.endpoints[0], last],
    ]) {
      if (a === b) continue;
      const r =
        oneWayPs(fabric, router, a, b, mtu, scratch) + oneWayPs(fabric, router, b, a, HEADER_BYTES, scratch);
      if (r > rtt) rtt = r;
    }
  }
  let rate = 0;
  const isEndpoint = new Uint8Array(fabric.nodes.count);
  for (const g of ends) for (const e of g.endpoints) isEndpoint[e] = 1;
  for (let l = 0; l < fabric.links.count; l++) {
    if (isEndpoint[fabric.links.from[l]] !== 0) rate = Math.max(rate, fabric.links.bandwidth[l]);
  }
  if (!(rtt > 0 && rate > 0)) {
    throw new WeftError("packet network: the fabric has no two endpoints joined by a route");
  }
  return { rttPs: rtt, rate };
}

/** The fastest NIC port among the flows' senders (the first link of each flow's path 0), bytes/s. */
function fastestSender(fabric: Fabric, router: Router, flows: FlowSet, buf: Int32Array): number {
  const N = fabric.nodes.count;
  let rate = 0;
  for (let f = 0; f < flows.count; f++) {
    const a = flows.src[f];
    const b = flows.dst[f];
    if (!(a >= 0 && a < N && b >= 0 && b < N)) {
      throw new WeftError(`flow ${f}: endpoints ${a} -> ${b} are not nodes of the fabric (0..${N - 1})`);
    }
    if (a === b || router.pathCount(a, b) <= 0) continue;
    if (router.path(a, b, 0, buf) > 0) rate = Math.max(rate, fabric.links.bandwidth[buf[0]]);
  }
  return rate;
}

/**
 * The largest unloaded RTT over the flows' pairs and the fabric's first-to-last endpoint pair (a full packet
 * out along every hop, an ack back), and the fastest NIC port among the senders: htsim's
 * network_max_unloaded_rtt and link speed, which NSCC, the buffer default and the RTO scale from.
 */
function networkScale(
  fabric: Fabric,
  router: Router,
  flows: FlowSet,
  mtu: number,
  rate: number,
  buf: Int32Array,
): { rttPs: number; rate: number } {
  const pairs: number[] = [];
  for (let f = 0; f < flows.count; f++) pairs.push(flows.src[f], flows.dst[f]);
  const endpoints = fabric.groups.flatMap((g) => Array.from(g.endpoints));
  if (endpoints.length >= 2) pairs.push(endpoints[0], endpoints[endpoints.length - 1]);
  let rtt = 0;
  const seen = new Set<number>();
  for (let i = 0; i < pairs.length; i += 2) {
    const a = pairs[i];
    const b = pairs[i + 1];
    if (a === b) continue;
    const key = a * fabric.nodes.count + b;
    if (seen.has(key)) continue;
    seen.add(key);
    const r = oneWayPs(fabric, router, a, b, mtu, buf) + oneWayPs(fabric, router, b, a, HEADER_BYTES, buf);
    if (r > rtt) rtt = r;
  }
  if (!(rtt > 0 && rate > 0)) {
    throw new WeftError("packet engine: no flow has a route through the fabric, nothing to simulate");
  }
  return { rttPs: rtt, rate };
}

function oneWayPs(
  fabric: Fabric,
  router: Router,
  a: number,
  b: number,
  bytes: number,
  buf: Int32Array,
): number {
  if (router.pathCount(a, b) <= 0) return 0;
  const n = router.path(a, b, 0, buf);
  let ps = 0;
  for (let i = 0; i < n; i++) {
    const l = buf[i];
    ps += toPs(fabric.links.latency[l]) + Math.round((bytes * 1e12) / fabric.links.bandwidth[l]);
  }
  return ps;
}

/**
 * With receiver credits (RCCC) the receiver paces its own downlink, so the last queue before an endpoint
 * does not ECN-mark (htsim disables ECN on ToR downlinks when receiver-driven CC is on).
 */
function makeLinks(fabric: Fabric, buffer: number, receiverCredits: boolean): LinkState {
  const L = fabric.links.count;
  const psPerByte = new Float64Array(L);
  const latPs = new Float64Array(L);
  const capacity = new Float64Array(L);
  const fromSwitch = new Uint8Array(L);
  const marks = new Uint8Array(L);
  for (let l = 0; l < L; l++) {
    psPerByte[l] = 1e12 / fabric.links.bandwidth[l];
    latPs[l] = toPs(fabric.links.latency[l]);
    const sw = fabric.nodes.kind[fabric.links.from[l]] === NodeKind.switch;
    fromSwitch[l] = sw ? 1 : 0;
    capacity[l] = sw ? buffer : Number.POSITIVE_INFINITY;
    const lastHop = fabric.nodes.kind[fabric.links.to[l]] !== NodeKind.switch;
    marks[l] = sw && !(receiverCredits && lastHop) ? 1 : 0;
  }
  const minus1 = () => new Int32Array(L).fill(-1);
  return {
    count: L,
    from: fabric.links.from,
    to: fabric.links.to,
    psPerByte,
    basePsPerByte: psPerByte.slice(),
    latPs,
    capacity,
    fromSwitch,
    marks,
    hiHead: minus1(),
    hiTail: minus1(),
    loHead: minus1(),
    loTail: minus1(),
    hiBytes: new Float64Array(L),
    loBytes: new Float64Array(L),
    serving: minus1(),
    servingHi: new Uint8Array(L),
    paused: new Uint8Array(L),
    pipeHead: minus1(),
    pipeTail: minus1(),
    maxBytes: new Float64Array(L),
    dead: new Uint8Array(L),
    avoid: new Uint8Array(L),
    ingressBytes: new Float64Array(L),
    pauseSent: new Uint8Array(L),
    xoff: new Float64Array(L).fill(Number.POSITIVE_INFINITY),
    xon: new Float64Array(L),
  };
}

function makeNics(fabric: Fabric, pacerPsPerByte: Float64Array): NicState {
  const L = fabric.links.count;
  const N = fabric.nodes.count;
  const minus1 = (n: number) => new Int32Array(n).fill(-1);
  return {
    busy: new Uint8Array(L),
    dataHead: minus1(L),
    dataTail: minus1(L),
    active: new Int32Array(L),
    ctrlHead: minus1(L),
    ctrlTail: minus1(L),
    crt: new Int32Array(L),
    pacerHead: minus1(N),
    pacerTail: minus1(N),
    pacerOn: new Uint8Array(N),
    pacerPsPerByte,
  };
}

/** Packets of one flow: sequence numbers are Int32. */
export const MAX_FLOW_PACKETS = 2 ** 31 - 1;

function tooManyPackets(f: number, bytes: number, n: number): WeftError {
  return new WeftError(
    `packet engine: flow ${f} of ${formatCount(bytes)} B needs ${formatCount(n)} packets, more than the ${formatCount(MAX_FLOW_PACKETS)} one flow may have; use --fidelity flow for flows this large`,
  );
}

/** Room for `capacity` flows; the send-record rings and entropy state grow as flows are added. */
function makeFlowState(capacity: number): FlowState {
  // One object literal, so the engine's hot paths see one fixed shape.
  const f64 = () => new Float64Array(capacity);
  const i32 = () => new Int32Array(capacity);
  const u8 = () => new Uint8Array(capacity);
  const flows: FlowState = {
    count: 0,
    src: i32(),
    dst: i32(),
    bytes: f64(),
    key: i32(),
    tag: i32(),
    capPsPerByte: f64(),
    capNextPs: f64(),
    startPs: f64(),
    totalPackets: i32(),
    port: i32(),
    status: u8(),
    finishPs: f64(),
    backlog: f64(),
    nextPsn: i32(),
    cumAck: i32(),
    inFlight: f64(),
    rtxCount: i32(),
    inNic: u8(),
    nicNext: i32(),
    rtoAt: f64(),
    lastRecvd: f64(),
    window: i32(),
    cwnd: f64(),
    maxwnd: f64(),
    baseRtt: f64(),
    avgDelay: f64(),
    achieved: f64(),
    bytesToIgnore: f64(),
    bytesIgnored: f64(),
    incBytes: f64(),
    receivedBytes: f64(),
    lastAdjust: f64(),
    lastDec: f64(),
    qaEnd: f64(),
    triggerQa: u8(),
    fiCount: f64(),
    increasing: u8(),
    evIndex: i32(),
    evXor: i32(),
    evPenalty: new Uint8Array(0),
    evRing: new Int32Array(0),
    evRingHead: i32(),
    evRingCount: i32(),
    rc: f64(),
    rt: f64(),
    dAlpha: f64(),
    dT: i32(),
    dBC: i32(),
    byteCounter: f64(),
    lastCnpAt: f64(),
    lastAlphaAt: f64(),
    nextSendPs: f64(),
    wakeAt: f64(),
    dcqcnTimerAt: f64(),
    credit: f64(),
    speculating: u8(),
    pullSeen: f64(),
    expected: i32(),
    oooCount: i32(),
    rcvBytes: f64(),
    accepted: f64(),
    ackRequest: u8(),
    gotData: u8(),
    nackSent: u8(),
    cnpSentAt: f64(),
    cnpPending: u8(),
    highestPull: f64(),
    latestPull: f64(),
    inPacer: u8(),
    pullNext: i32(),
    recBase: i32(),
    recSendPs: new Float64Array(0),
    recSize: new Int32Array(0),
    recState: new Uint8Array(0),
    recTx: new Uint8Array(0),
    rcvBit: new Uint8Array(0),
  };
  const byName = flows as unknown as Record<string, GrowableArray>;
  for (const [name, fill] of Object.entries(START_VALUES)) byName[name].fill(fill);
  return flows;
}

/** Per-flow values a new slot starts with other than 0. */
const START_VALUES: Readonly<Record<string, number>> = {
  port: -1,
  finishPs: Number.POSITIVE_INFINITY,
  nicNext: -1,
  wakeAt: -1,
  dcqcnTimerAt: -1,
  cnpSentAt: -1,
  pullNext: -1,
};

/** Arrays not indexed by flow: the send-record rings and the entropy state, grown as flows are added. */
const SIZED_APART = new Set(["evPenalty", "evRing", "recSendPs", "recSize", "recState", "recTx", "rcvBit"]);

/** Doubles the per-flow arrays (new slots take their start values). */
function growFlowState(flows: FlowState, capacity: number): void {
  const byName = flows as unknown as Record<string, GrowableArray | number>;
  for (const name of Object.keys(byName)) {
    const old = byName[name];
    if (typeof old === "number" || SIZED_APART.has(name)) continue;
    const a = grownTo(old, capacity);
    a.fill(START_VALUES[name] ?? 0, old.length);
    byName[name] = a;
  }
}

/** Grows `a` (by doubling) to hold at least `n` elements. */
function atLeast<T extends GrowableArray>(a: T, n: number): T {
  if (a.length >= n) return a;
  let len = Math.max(64, a.length);
  while (len < n) len *= 2;
  return grownTo(a, len);
}

/**
 * Adds a flow of `bytes` from node `src` to `dst`, starting at `startPs` (the caller pushes its start
 * event), with ECMP key `key` and owner `tag`; returns its id. Sizes its packets, its NIC port (the first
 * link of path 0; -1 without a route), its reorder window and send-record ring, and initializes its
 * congestion control and entropy.
 */
export function addFlow(
  sim: PacketSim,
  src: number,
  dst: number,
  bytes: number,
  startPs: number,
  key: number,
  tag: number,
): number {
  const fabric = sim.fabric;
  const N = fabric.nodes.count;
  const f = sim.flows.count;
  if (!(src >= 0 && src < N && dst >= 0 && dst < N)) {
    throw new WeftError(`flow ${f}: endpoints ${src} -> ${dst} are not nodes of the fabric (0..${N - 1})`);
  }
  const p = sim.p;
  const n = Math.ceil(bytes / p.mss);
  // Packet numbers are 32-bit: a flow of more packets would wrap and "finish" at once.
  if (n > MAX_FLOW_PACKETS) throw tooManyPackets(f, bytes, n);
  if (f === sim.flows.src.length) growFlowState(sim.flows, 2 * f);
  growPathCounts(sim.paths, f + 1);
  const flows = sim.flows;
  flows.count = f + 1;
  flows.src[f] = src;
  flows.dst[f] = dst;
  flows.bytes[f] = bytes;
  flows.key[f] = key;
  flows.tag[f] = tag;
  flows.startPs[f] = startPs;
  flows.totalPackets[f] = n;
  flows.backlog[f] = n * (p.mtu - p.mss) + bytes;
  flows.port[f] = portOf(sim, src, dst);
  const port = flows.port[f];
  const nicRate = port >= 0 ? 1e12 / sim.links.basePsPerByte[port] : p.netRate;
  const maxwnd = 1.5 * (p.netRttPs / 1e12) * nicRate;
  // Reorder window: 8 maximum windows of packets, at least 64, at most what the flow needs.
  const want = Math.min(n + 1, Math.max(64, 8 * Math.ceil(maxwnd / p.mtu)));
  let w = 2;
  while (w < want && w < 1 << 16) w *= 2;
  flows.window[f] = w;
  flows.recBase[f] = sim.recUsed;
  sim.recUsed += w;
  flows.recSendPs = atLeast(flows.recSendPs, sim.recUsed);
  flows.recSize = atLeast(flows.recSize, sim.recUsed);
  flows.recState = atLeast(flows.recState, sim.recUsed);
  flows.recTx = atLeast(flows.recTx, sim.recUsed);
  flows.rcvBit = atLeast(flows.rcvBit, sim.recUsed);
  if (p.loadBalancing !== "ecmp") {
    flows.evPenalty = atLeast(flows.evPenalty, (f + 1) * p.evCount);
    flows.evRing = atLeast(flows.evRing, (f + 1) * p.evCount);
  }
  nsccInit(sim, f, maxwnd);
  initEntropy(sim, f);
  if (p.rccc) rcccInit(sim, f);
  if (p.dcqcn) dcqcnInit(sim, f);
  return f;
}

/**
 * The flow's NIC port: the first link of path 0, -1 without a route. The receiving node's credit pacer
 * runs at the fastest link its flows' data arrives on.
 */
function portOf(sim: PacketSim, a: number, b: number): number {
  const router = sim.router;
  if (a === b || router.pathCount(a, b) <= 0) return -1;
  const buf = sim.scratch;
  const n = router.path(a, b, 0, buf);
  if (n === 0) return -1;
  const arrival = 1e12 / sim.fabric.links.bandwidth[buf[n - 1]];
  const pacer = sim.nic.pacerPsPerByte;
  if (pacer[b] === 0 || arrival < pacer[b]) pacer[b] = arrival;
  return sendingPort(sim.fabric, buf, n);
}

/**
 * The port whose NIC sends a path's packets: its first scale-out link (a leaf link from an endpoint). A
 * rail-aware path first crosses the scale-up domain to a peer on the destination's rail (PXN), whose NIC
 * sends for every flow relayed through it: that NIC's turns pace them all at its line rate. Pacing them at
 * their scale-up ports instead would pour several NVLinks into one NIC link with nothing to stop them.
 * A path without a scale-out link (inside a scale-up domain) is sent from its first link.
 */
function sendingPort(fabric: Fabric, path: Int32Array, n: number): number {
  const { tier, from } = fabric.links;
  const kind = fabric.nodes.kind;
  for (let i = 0; i < n; i++) {
    const l = path[i];
    if (tier[l] === LinkTier.leaf && kind[from[l]] !== NodeKind.switch) return l;
  }
  return path[0];
}
