/**
 * Options of the packet engine and the constants derived from them. Defaults are htsim's UEC defaults
 * (htsim_uec as in the Ultra Ethernet Consortium's public htsim repository): 4,150-byte packets with a
 * 64-byte header, queues of one bandwidth-delay product, ECN marking between 20% and 80% of the queue,
 * trimming on, NSCC, 64 entropy values per flow. docs/transports.md lists every constant with its source.
 */
import { WeftError } from "../../../errors.js";
import type { LoadBalancing } from "../../../routing/types.js";
import type { EngineOptions } from "../types.js";

/** The transports' congestion control (a scenario's `transport.congestionControl` is one of these). */
export type CongestionControl = "dcqcn" | "nscc" | "rccc" | "nscc+rccc" | "none";

/** Header bytes of every packet (data header; acks, nacks, credits and trimmed packets are header-only). */
export const HEADER_BYTES = 64;

/**
 * The receiver acks every this many bytes accepted, or at once on a mark, an ack request, a duplicate or a
 * flow's first packet (htsim's UEC sink).
 */
export const ACK_BYTES = 16384;

export interface LinkFailure {
  /** Seconds from the start. */
  atS: number;
  /** Directed fabric link ids (a failed cable lists both directions). */
  links: ArrayLike<number>;
  /** Fraction of bandwidth lost: 1 = down, 0.5 = half rate. */
  degrade: number;
}

export interface PacketTransportOptions {
  congestionControl: CongestionControl;
  /** Bytes on the wire per full packet, header included (htsim's -mtu). */
  mtu: number;
  /** RED marking thresholds on a queue's data bytes; default 20% and 80% of the buffer. */
  ecn?: { min: number; max: number };
  trimming: boolean;
  pfc: boolean;
}

export interface PacketEngineOptions extends EngineOptions {
  transport?: Partial<PacketTransportOptions>;
  /** Output-queue buffer per switch port, bytes; default one bandwidth-delay product (htsim's default). */
  bufferBytes?: number;
  /** Entropy values a flow sprays over (a power of two; htsim's default 64). */
  pathEntropy?: number;
  /**
   * Retransmission timer, seconds (htsim's setMinRTO): a packet unacknowledged this long is resent. Default
   * as htsim's UEC sets it: 15 µs plus six switch buffers' drain time at the network rate (ten times that
   * with PFC).
   */
  minRtoS?: number;
  failures?: LinkFailure[];
  /** Delay before routes avoid a failed link, seconds (default 0). */
  failureDetectionS?: number;
  /** Stop the simulation here even if flows are unfinished (default 10 s simulated). */
  maxTimeS?: number;
  /** Sample every queue's occupancy at this interval, seconds. */
  traceIntervalS?: number;
  /**
   * Called every 65,536 events (progress for people, and a way to stop): returning true ends the run
   * there, keeping what finished; the result says `stopped`.
   */
  onTick?: (tick: PacketTick) => boolean | undefined;
}

/** Where a packet run stands. */
export interface PacketTick {
  simulatedS: number;
  events: number;
  doneFlows: number;
  flows: number;
}

export const DEFAULT_TRANSPORT: PacketTransportOptions = {
  congestionControl: "nscc",
  mtu: 4150,
  trimming: true,
  pfc: false,
};

/** Everything the engine reads while it runs, resolved once. Times in picoseconds, sizes in bytes. */
export interface PacketParams {
  loadBalancing: LoadBalancing;
  cc: CongestionControl;
  /** Window CC (NSCC) and credits (RCCC) on or off. */
  nscc: boolean;
  rccc: boolean;
  dcqcn: boolean;
  goBackN: boolean;
  mtu: number;
  mss: number;
  trimming: boolean;
  pfc: boolean;
  ecnMin: number;
  ecnMax: number;
  buffer: number;
  evCount: number;
  seed: number;
  /** Receiver acks after this many unacked bytes (htsim's sack threshold). */
  ackBytes: number;
  minRtoPs: number;
  netRttPs: number;
  netRate: number;
  // NSCC, htsim's initNsccParams
  targetQdelayPs: number;
  qaThresholdPs: number;
  qaGate: number;
  alpha: number;
  fi: number;
  eta: number;
  fiScale: number;
  gamma: number;
  delayAlpha: number;
  adjustPeriodPs: number;
  adjustBytes: number;
  minCwnd: number;
  // DCQCN (Zhu et al. SIGCOMM'15)
  dcqcnG: number;
  dcqcnPeriodPs: number;
  dcqcnByteCounter: number;
  dcqcnF: number;
  cnpIntervalPs: number;
  // RCCC
  creditPerPull: number;
  pullRateFactor: number;
  maxTimePs: number;
  traceIntervalPs: number;
}

/** Reference network of NSCC's scaling factors: 100 Gb/s and 12 us (UEC 1.0 NSCC; htsim's initNsccParams). */
const REF_BDP = 12.5e9 * 12e-6;
const REF_RTT_PS = 12e6;

export function resolveTransport(options: PacketEngineOptions): PacketTransportOptions {
  const t = { ...DEFAULT_TRANSPORT, ...(options.transport ?? {}) };
  if (!(t.mtu > HEADER_BYTES)) {
    throw new WeftError(`packet engine: mtu must exceed the ${HEADER_BYTES}-byte header, got ${t.mtu} B`);
  }
  if (t.ecn && !(t.ecn.min >= 0 && t.ecn.max >= t.ecn.min)) {
    throw new WeftError(
      `packet engine: ecn thresholds need 0 <= min <= max, got ${t.ecn.min} and ${t.ecn.max}`,
    );
  }
  return t;
}

/**
 * htsim's retransmission timer: 15 us + six switch buffers' drain at the fastest NIC's rate (bytes/s).
 * Lossless (PFC) fabrics park whole windows in paused queues instead of dropping, so their timer is 10 times
 * longer (RoCE NICs' are longer still).
 */
export function defaultRtoS(bufferBytes: number, netRate: number, pfc: boolean): number {
  return (15e-6 + (6 * bufferBytes) / netRate) * (pfc ? 10 : 1);
}

/** The switch buffer when none is given: one network bandwidth-delay product, in whole packets. */
export function defaultBufferBytes(netRttPs: number, netRate: number, mtu: number): number {
  return Math.ceil(((netRttPs / 1e12) * netRate) / mtu) * mtu;
}

/**
 * Derives the run's constants. `netRttPs` is the network's largest unloaded round trip (one full packet out,
 * one ack back across the diameter), `netRate` the fastest NIC, as htsim's network_max_unloaded_rtt.
 */
export function deriveParams(
  options: PacketEngineOptions,
  t: PacketTransportOptions,
  netRttPs: number,
  netRate: number,
): PacketParams {
  const evCount = options.pathEntropy ?? 64;
  if (!(evCount >= 1 && (evCount & (evCount - 1)) === 0 && evCount <= 4096)) {
    throw new WeftError(`packet engine: pathEntropy must be a power of two from 1 to 4096, got ${evCount}`);
  }
  const mtu = t.mtu;
  const mss = mtu - HEADER_BYTES;
  const netBdp = (netRttPs / 1e12) * netRate;
  const buffer = options.bufferBytes ?? defaultBufferBytes(netRttPs, netRate, mtu);
  if (options.minRtoS !== undefined && !(options.minRtoS > 0 && options.minRtoS < 10)) {
    throw new WeftError(`packet engine: minRtoS must be above 0 and below 10 s, got ${options.minRtoS}`);
  }
  if (!(buffer >= mtu)) {
    throw new WeftError(
      `packet engine: switch buffer must hold at least one ${mtu}-byte packet, got ${buffer} B`,
    );
  }
  const ecnMin = t.ecn ? t.ecn.min : Math.ceil(0.2 * (buffer / mtu)) * mtu;
  const ecnMax = t.ecn ? t.ecn.max : Math.ceil(0.8 * (buffer / mtu)) * mtu;
  const cc = t.congestionControl;
  const targetQdelayPs = Math.round(t.trimming ? netRttPs * 0.75 : netRttPs);
  const a = netBdp / REF_BDP;
  const b = targetQdelayPs / REF_RTT_PS;
  return {
    loadBalancing: options.loadBalancing,
    cc,
    nscc: cc === "nscc" || cc === "nscc+rccc",
    rccc: cc === "rccc" || cc === "nscc+rccc",
    dcqcn: cc === "dcqcn",
    goBackN: cc === "dcqcn",
    mtu,
    mss,
    trimming: t.trimming,
    pfc: t.pfc,
    ecnMin,
    ecnMax,
    buffer,
    evCount,
    seed: options.seed,
    ackBytes: ACK_BYTES,
    minRtoPs: Math.round(
      options.minRtoS !== undefined ? options.minRtoS * 1e12 : defaultRtoS(buffer, netRate, t.pfc) * 1e12,
    ),
    netRttPs,
    netRate,
    targetQdelayPs,
    qaThresholdPs: 4 * targetQdelayPs,
    qaGate: 3,
    alpha: (4 * mss * a * b) / targetQdelayPs,
    fi: 5 * mss * a,
    eta: 0.15 * mss * a,
    fiScale: 0.25 * a,
    gamma: 0.8,
    delayAlpha: 0.0125,
    adjustPeriodPs: netRttPs,
    adjustBytes: 8 * mtu,
    minCwnd: mtu,
    dcqcnG: 1 / 256,
    dcqcnPeriodPs: 55e6,
    dcqcnByteCounter: 10e6,
    dcqcnF: 5,
    cnpIntervalPs: 50e6,
    creditPerPull: Math.floor((4 * mss) / 256) * 256,
    pullRateFactor: 0.99,
    maxTimePs: Math.round((options.maxTimeS ?? 10) * 1e12),
    traceIntervalPs: options.traceIntervalS ? Math.max(1, Math.round(options.traceIntervalS * 1e12)) : 0,
  };
}
