/**
 * Results: what every engine returns and every report, store and API reads. The JSON printed by
 * `weft run --json` is exactly this object (keys camelCase, units in the names), as SCENARIO-v1 specifies.
 */
import type { Fidelity, Sharing } from "../scenario/types.js";

export interface FabricSummary {
  accelerators: number;
  endpoints: number;
  switches: Record<string, number>;
  links: number;
}

export interface BaseResults {
  scenario: string;
  fidelity: Fidelity;
  /** Wall-clock seconds the simulation took. */
  wallS: number;
  fabric: FabricSummary;
  warnings: string[];
}

export interface CollectiveRow {
  sizeBytes: number;
  /**
   * Elements of the reduction type (float32), as nccl-tests prints `count`: per rank for all-gather,
   * reduce-scatter and all-to-all (src/collectives/run.ts `ncclTestsBuffer`).
   */
  count: number;
  type: string;
  timeUs: number;
  algbwGBps: number;
  busbwGBps: number;
  algorithm: string;
}

export interface CollectiveResults extends BaseResults {
  kind: "collective";
  op: string;
  ranks: number;
  rows: CollectiveRow[];
}

export interface ExposedByKind {
  tp: number;
  pp: number;
  dp: number;
  ep: number;
  cp: number;
}

export interface TimelineSpan {
  /** Pipeline stage. */
  stage: number;
  kind: "compute" | "comm" | "idle";
  /** What ran: `fwd mb3`, `dp reduce-scatter`, ... */
  label: string;
  startS: number;
  endS: number;
}

/** Parameters the model has, and those one token uses (MoE: top-k routed + shared experts). */
export interface ParameterTotals {
  total: number;
  active: number;
}

export interface TrainingResults extends BaseResults {
  kind: "training";
  /** The model's derived parameter counts. */
  parameters?: ParameterTotals;
  stepTimeS: number;
  tflopsPerAccelerator: number;
  mfu: number;
  breakdown: { computeS: number; exposedCommS: number; bubbleS: number; otherS: number };
  exposedCommByKind: ExposedByKind;
  networkIdleFraction: number;
  networkIdleCostUsdPerHour: number;
  /** Where exposed time comes from: collective, fabric tier, seconds. */
  causes: { kind: keyof ExposedByKind; collective: string; tier: string; exposedS: number }[];
  /** The same step on a non-blocking fabric, computed in the same run. */
  whatIf?: { nonBlockingStepTimeS: number; speedup: number };
  timeline: TimelineSpan[];
  memoryPerRankBytes: {
    weights: number;
    gradients: number;
    optimizer: number;
    activations: number;
    total: number;
  };
}

export interface Percentiles {
  p50: number;
  p99: number;
}

/** One serving pool of an inference run (prefill, decode, or co-located). */
export interface InferencePoolSummary {
  role: "prefill" | "decode" | "colocated";
  group: string;
  accelerator: string;
  instances: number;
  tp: number;
  ep: number;
  dp: number;
  maxBatch: number;
  accelerators: number;
  /** Nodes (servers) holding the pool's accelerators, whole. */
  nodes: number;
  weightsPerAcceleratorBytes: number;
  /** KV-cache tokens one instance holds. */
  kvCapacityTokens: number;
  /** Sequences of mean length (prompt + output) that fit in one instance's KV cache, capped by maxBatch. */
  batchCapacity: number;
  /** Fraction of the run the pool's instances were busy. */
  utilization: number;
  costUsdPerHour: number;
}

export interface InferenceResults extends BaseResults {
  kind: "inference";
  /** The model's derived parameter counts. */
  parameters?: ParameterTotals;
  ttftS: Percentiles;
  tpotS: Percentiles;
  throughputTokensPerS: number;
  goodputFraction: number;
  /**
   * The part of each request's KV transfer after its prefill ends (what delays its first decode step):
   * a whole transfer entire, a layer-wise one only what the stream had left when prefill ended.
   */
  kvTransferS: Percentiles;
  networkShareOfLatency: number;
  /** Requests simulated and completed. */
  requests?: number;
  completed?: number;
  /** First arrival to last completion, simulated seconds. */
  makespanS?: number;
  outputTokens?: number;
  requestsPerS?: number;
  e2eS?: Percentiles;
  /** Arrival to the start of the request's prefill. */
  queueS?: Percentiles;
  /**
   * The distributions behind the percentiles: 51 quantiles each, at 0%, 2%, …, 100% of the completed
   * requests (the one percentile definition), to draw as CDFs.
   */
  distributions?: { ttftS: number[]; tpotS: number[]; e2eS: number[] };
  throughputPerAcceleratorTokensPerS?: number;
  throughputPerNodeTokensPerS?: number;
  costUsdPerHour?: number;
  costPerMillionOutputTokensUsd?: number;
  /** Share of the summed TTFT spent on the network, by cause. */
  ttftNetworkShare?: { kvTransfer: number; tp: number; ep: number };
  /** Share of the summed decode time (first to last token) spent on the network, by cause. */
  tpotNetworkShare?: { tp: number; ep: number; kvTransfer: number };
  /**
   * One request's whole KV transfer (mean prompt) on an idle fabric, seconds: the floor under kvTransferS
   * for whole transfers; a layer-wise stream hides it behind prefill.
   */
  kvTransferAloneS?: number;
  kvBytesMoved?: number;
  offloadBytesMoved?: number;
  /** Transfer bytes × links crossed, by link tier (host, scaleUp, leaf, spine, core). */
  transferBytesByTier?: Record<string, number>;
  preemptions?: number;
  recomputes?: number;
  pools?: InferencePoolSummary[];
  /** Packet fidelity: what the packet engine counted for the KV and offload transfers. */
  packets?: PacketSummary;
  [extra: string]: unknown;
}

export interface FlowRecord {
  id: number;
  src: number;
  dst: number;
  bytes: number;
  startUs: number;
  finishUs: number;
  fctUs: number;
}

/** The fullest moment of one output queue. */
export interface QueueMax {
  queue: string;
  tier: string;
  maxBytes: number;
}

/** What the packet engine counted over a traffic run (packet fidelity only). */
export interface PacketSummary {
  events: number;
  dataPackets: number;
  retransmissions: number;
  controlPackets: number;
  trims: number;
  /** Packets dropped by full queues. */
  drops: number;
  /** Packets lost on failed links. */
  failureDrops: number;
  pfcPauses: number;
  ecnMarks: number;
  nacks: number;
  timeouts: number;
  cnps: number;
  credits: number;
  unfinished: number;
  simulatedS: number;
  /** Queues that ever held a byte, fullest first. */
  queueMaxBytes: QueueMax[];
}

/**
 * How busy each link was over a run: bytes carried / (bandwidth × the run's duration), for the links that
 * carried any. `index` is the fabric's link id (its build order, the same for the same scenario); `links`
 * the fabric's link count, so a reader can tell the run's fabric from another.
 */
export interface LinkUtilization {
  links: number;
  index: number[];
  utilization: number[];
}

export interface TrafficResults extends BaseResults {
  kind: "traffic";
  flows: FlowRecord[];
  fctUs: { p50: number; p99: number; max: number };
  packets?: PacketSummary;
  linkUtilization?: LinkUtilization;
  /** Flow fidelity: how contended links were shared (`simulation.sharing`). */
  sharing?: Sharing;
  [extra: string]: unknown;
}

/** Where a job met the others on one link tier. */
export interface JobSharedLinks {
  tier: string;
  /** Links of that tier where this job and another had flows at the same time. */
  links: number;
  /** Bytes the other jobs moved over those links while this job was on them. */
  metBytes: number;
  withJobs: string[];
}

/** The share of a job's delay one other job caused, and the tiers where they met. */
export interface JobCause {
  job: string;
  share: number;
  delayS: number;
  tiers: string[];
}

/** One job of a `jobs:` run: its own contract fields (collective rows, with the others), and interference. */
export interface JobResult {
  name: string;
  kind: "collective" | "traffic" | "training" | "inference";
  accelerators: number;
  startS: number;
  steps: number;
  /** When its last step ended, simulated seconds. */
  endS: number;
  /** Mean step (compute + collectives) with the other jobs; for an inference job, its p99 TTFT. */
  stepTimeS: number;
  /** Mean step alone on the same placement and fabric. */
  aloneStepTimeS: number;
  /** stepTimeS / aloneStepTimeS. */
  slowdown: number;
  /** The collective's op, the traffic pattern, or the training model and layout (`llama3-70b tp8·pp4·dp8`). */
  op: string;
  /** Collective: per size, the collective with the others (mean over steps), as a collective run reports it. */
  rows: CollectiveRow[];
  /** Traffic: flows per step, and their completion times over every step with the others, as a traffic run reports them. */
  flows?: number;
  fctUs?: { p50: number; p99: number; max: number };
  /** Training: MFU and TFLOP/s per accelerator with the others, and the share of the step the network held it idle. */
  mfu?: number;
  tflopsPerAccelerator?: number;
  networkIdleFraction?: number;
  /**
   * Inference (its "step" is its p99 time to first token): requests served, TTFT, TPOT and KV transfer
   * percentiles, goodput and throughput with the others, and TTFT alone.
   */
  requests?: number;
  ttftS?: Percentiles;
  tpotS?: Percentiles;
  kvTransferS?: Percentiles;
  goodputFraction?: number;
  throughputTokensPerS?: number;
  aloneTtftS?: Percentiles;
  sharedLinks: JobSharedLinks[];
  causes: JobCause[];
  /** Step time lost to failures after time 0 (mean per step, with the others), seconds. */
  failureLossS?: number;
}

export interface JobsResults extends BaseResults {
  kind: "jobs";
  /** Start of the first job to the end of the last, simulated seconds. */
  makespanS: number;
  jobs: JobResult[];
}

export type Results = CollectiveResults | TrainingResults | InferenceResults | TrafficResults | JobsResults;
