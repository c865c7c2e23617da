/**
 * Results: what every engine returns and every report, store and API reads. The JSON printed by
 * `weft run --json` is exactly this object (keys camelCase, units in the names), as SCENARIO-v1 specifies.
 */
import type { Fidelity } from "../scenario/types.js";

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
  /** Elements of the reduction type (float32), as nccl-tests prints `count`. */
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
  throughputPerAcceleratorTokensPerS?: number;
  throughputPerNodeTokensPerS?: number;
  costUsdPerHour?: number;
  costPerMillionOutputTokensUsd?: number;
  /** Share of the summed TTFT spent on the network, by cause. */
  ttftNetworkShare?: { kvTransfer: number; tp: number; ep: number };
  /** Share of the summed decode time (first to last token) spent on the network, by cause. */
  tpotNetworkShare?: { tp: number; ep: number; kvTransfer: number };
  /** One request's KV transfer (mean prompt) on an idle fabric, seconds: the floor under kvTransferS. */
  kvTransferAloneS?: number;
  kvBytesMoved?: number;
  offloadBytesMoved?: number;
  /** Transfer bytes × links crossed, by link tier (host, scaleUp, leaf, spine, core). */
  transferBytesByTier?: Record<string, number>;
  preemptions?: number;
  recomputes?: number;
  pools?: InferencePoolSummary[];
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

export interface TrafficResults extends BaseResults {
  kind: "traffic";
  flows: FlowRecord[];
  fctUs: { p50: number; p99: number; max: number };
  [extra: string]: unknown;
}

export type Results = CollectiveResults | TrainingResults | InferenceResults | TrafficResults;
