/**
 * The normalized scenario: what `loadScenario` returns after parsing, validation, defaults and catalog
 * resolution. Everything downstream (topology, workloads, engines) reads only this shape; quantities are
 * SI numbers, catalog ids are resolved to full specs. `weft validate --print` shows it.
 */
import type { AcceleratorSpec, Catalog, ModelSpec, ScaleUpSpec, SwitchSpec } from "../catalog/types.js";

export type { ModelSpec, MoeSpec } from "../catalog/types.js";

import type { SourcePosition } from "../errors.js";
import type { ManagerSpec } from "./manager.js";

export type { ManagerPolicy, ManagerSpec } from "./manager.js";

export type Fidelity = "analytical" | "flow" | "packet";
export type GroupKind = "accelerator" | "memory" | "storage" | "host";
export type ScaleOutTopology = "fat-tree" | "rail-optimized" | "rail-only" | "single-switch";
export type LoadBalancing = "ecmp" | "spray" | "adaptive";
export type CongestionControl = "dcqcn" | "nscc" | "rccc" | "nscc+rccc" | "none";

export interface NicConfig {
  /** NICs (ports) per node. */
  count: number;
  /** Per NIC, per direction, bytes/s. */
  bandwidth: number;
}

export interface GroupSpec {
  name: string;
  kind: GroupKind;
  nodes: number;
  /** 0 for memory/storage/host groups. */
  acceleratorsPerNode: number;
  /** Present for accelerator groups. */
  accelerator?: AcceleratorSpec;
  /** Present for accelerator groups; `domain` already defaulted (acceleratorsPerNode unless set). */
  scaleUp?: ScaleUpSpec;
  nics: NicConfig;
  /** Memory / storage capacity per node, bytes. */
  capacity?: number;
  /** Memory / storage media bandwidth per node, bytes/s (default: the NICs' total). */
  mediaBandwidth?: number;
  /** Price per accelerator-hour for this group, USD. */
  priceUsdPerHour: number;
}

export interface ScaleOutSpec {
  topology: ScaleOutTopology;
  /** Resolved from `auto`: the fewest tiers that fit the switch radix. */
  tiers: 1 | 2 | 3;
  switch: SwitchSpec;
  /** Down:up bandwidth ratio at the leaf and at the spine (aggregation) tier; 1 = non-blocking. */
  oversubscription: { leaf: number; spine: number };
  /** Per cable, seconds. */
  linkLatency: number;
  planes: number;
  /**
   * Collectives may reduce in the scale-out switches (SHARP / INC) when `auto` picks algorithms. Off by
   * default, as NCCL's CollNet/SHARP plugin is; an explicit `in-network` algorithm needs only a switch that
   * can.
   */
  inNetworkReduction?: boolean;
}

export interface TransportSpec {
  loadBalancing: LoadBalancing;
  congestionControl: CongestionControl;
  mtu: number;
  ecn?: { min: number; max: number };
  trimming: boolean;
  pfc: boolean;
}

export interface ClusterSpec {
  groups: GroupSpec[];
  scaleOut: ScaleOutSpec;
  transport: TransportSpec;
}

export type CollectiveOp =
  | "all-reduce"
  | "all-gather"
  | "reduce-scatter"
  | "all-to-all"
  | "broadcast"
  | "reduce"
  | "send-recv";

export type CollectiveAlgorithm =
  | "auto"
  | "ring"
  | "tree"
  | "halving-doubling"
  | "direct"
  | "hierarchical"
  | "in-network";

export interface CollectiveWorkload {
  kind: "collective";
  op: CollectiveOp;
  /** Buffer sizes in bytes, expanded from [min, max] with factor when given that way. */
  sizes: number[];
  algorithm: CollectiveAlgorithm;
  /** `all`, a group name, or the first N accelerators. */
  ranks: "all" | string | number;
}

export interface ParallelismSpec {
  tp: number;
  pp: number;
  dp: number;
  ep: number;
  /**
   * Expert tensor parallelism (Megatron-Core's expert-tensor-parallel size): each expert's FFN split over
   * etp ranks; etp · ep divides tp · cp · dp. Absent: 1 (whole experts per rank).
   */
  etp?: number;
  cp: number;
  vpp: number;
  zero: 0 | 1 | 2 | 3;
  sequenceParallel: boolean;
}

export type Precision = "bf16" | "fp8";
/** Serving weights may also be 4-bit (NVFP4, MXFP4) on accelerators whose tensor cores run that format. */
export type ServingPrecision = Precision | "nvfp4" | "mxfp4";
export type Recompute = "none" | "selective" | "full";

export interface TrainingWorkload {
  kind: "training";
  model: ModelSpec;
  parallelism: ParallelismSpec;
  microBatch: number;
  globalBatch: number;
  precision: Precision;
  recompute: Recompute;
  /**
   * Attention kernel: `flash` (fused, FlashAttention-style: no s² activations, higher efficiency) or
   * `unfused` (GEMM, softmax, dropout, GEMM as Megatron-LM ran them in 2021).
   */
  attention: "flash" | "unfused";
  /**
   * Pipeline schedule: `1f1b` (Megatron-LM's; interleaved when vpp > 1) or `dualpipe` (DeepSeek-V3's
   * bidirectional schedule, src/workload/training/dualpipe.ts). Default `1f1b`.
   */
  schedule?: "1f1b" | "dualpipe";
  /** Group the job runs on (default: the first accelerator group). */
  group?: string;
}

export type LengthDistribution =
  | { kind: "fixed"; value: number }
  | { kind: "uniform"; min: number; max: number }
  | { kind: "lognormal"; mean: number; sigma: number };

export interface InstancePool {
  group: string;
  tp: number;
  ep: number;
  dp: number;
  instances: number;
  maxBatch: number;
  /**
   * `two-batch`: each step runs as two micro-batches whose expert-parallel all-to-alls run under each
   * other's compute (DeepSeek's and SGLang's two-batch overlap). Default `none`.
   */
  overlap?: "none" | "two-batch";
  /**
   * Prompt tokens per prefill batch per attention replica (the prefill token budget); default 8,192. In a
   * co-located pool, the tokens of one step per replica (decode tokens, then prompt chunks); default 2,048.
   */
  prefillTokens?: number;
  /**
   * Expert-parallel dispatch / combine: `nccl` all-to-alls (default) or DeepEP's kernels (low-latency in
   * decode, normal in prefill; src/collectives/deepep.ts).
   */
  epKernels?: "nccl" | "deepep";
  /**
   * Extra expert copies an expert-parallel load balancer places (DeepSeek-V3: 32, for 288 slots of 256
   * experts); ep must divide experts + redundantExperts. Default 0.
   */
  redundantExperts?: number;
  /**
   * The busiest expert-parallel rank's expected routed load over the mean, from expert popularity as
   * placed (1: evenly placed, as a perfect EPLB would). Sampling noise of each step is added on top
   * (step-cost.ts). Default 1.
   */
  expertImbalance?: number;
}

export interface InferenceWorkload {
  kind: "inference";
  model: ModelSpec;
  prefill: InstancePool;
  /** Absent = co-located serving on the prefill pool. */
  decode?: InstancePool;
  requests: {
    /** Requests per second (Poisson); absent when a trace is given. */
    rate?: number;
    count: number;
    promptTokens: LengthDistribution;
    outputTokens: LengthDistribution;
    seed: number;
    /** Absolute path of a CSV trace (arrival time s, prompt tokens, output tokens). */
    trace?: string;
  };
  kvCache: { offload?: string; transfer: "whole" | "layerwise"; prefixHitRate: number };
  slo: { ttft: number; tpot: number };
  precision: ServingPrecision;
  /**
   * Precision of the KV cache (FP8 weights with a BF16 cache, or the reverse); default `precision`, FP8
   * under 4-bit weights.
   */
  kvPrecision?: Precision;
}

export type TrafficPattern = "permutation" | "incast" | "all-to-all" | "file";

export interface TrafficWorkload {
  kind: "traffic";
  pattern: TrafficPattern;
  /** Per flow, bytes. */
  size: number;
  senders?: number;
  /** Absolute path of an htsim connection matrix, for pattern `file`. */
  file?: string;
}

export type Workload = CollectiveWorkload | TrainingWorkload | InferenceWorkload | TrafficWorkload;

/** One job of `jobs:`: a workload on its own accelerators, started at a time, run for a number of steps. */
/** Where a job asked to run, as written: resolved to `ranks`, and printed back as given. */
export type JobPlacement = "auto" | { group: string } | { nodes: string[] };

export interface JobSpec {
  name: string;
  placement: JobPlacement;
  /** With `placement: auto`: how many accelerators the job asked for. */
  accelerators?: number;
  workload: CollectiveWorkload | TrafficWorkload | TrainingWorkload | InferenceWorkload;
  /** Global accelerator ranks, in order (a traffic job's endpoints, in pattern order). */
  ranks: number[];
  startS: number;
  /** Times the workload runs, one after another. */
  steps: number;
  /** Compute between two steps (the time a data-parallel step computes before its gradients reduce), seconds. */
  computeS: number;
}

export type FailureTarget =
  | { kind: "links"; tier: string; count: number }
  | { kind: "link"; name: string }
  | { kind: "switch"; name: string };

export interface FailureSpec {
  /** Seconds from the start. */
  at: number;
  target: FailureTarget;
  /** Fraction of bandwidth lost: 1 = down (default), 0.5 = half rate. */
  degrade: number;
}

/**
 * How the flow fidelity shares contended links among window-transport traffic flows: max-min, or by path
 * (a flow held back by every saturated link it crosses, and a shorter round trip moving more of a
 * bottleneck, as delay-based window transports converge to: docs/flow-model.md). By path is closer to a
 * packet transport on ECMP fabrics and in incasts, and slower to simulate.
 */
export type Sharing = "max-min" | "by-path";

export interface SimulationSpec {
  fidelity: Fidelity;
  sharing: Sharing;
  seed: number;
  /** Delay before routes avoid a failed link, seconds. */
  failureDetection: number;
}

export interface Scenario {
  name: string;
  /** Absolute path of the scenario file, when loaded from one. */
  file?: string;
  cluster: ClusterSpec;
  /** The one workload; with `jobs`, the first job's (so single-workload readers keep working). */
  workload: Workload;
  /** Several workloads at once on one fabric (`jobs:`); absent for the one-job form. */
  jobs?: JobSpec[];
  simulation: SimulationSpec;
  failures: FailureSpec[];
  /** What `weft manage` places on the cluster without flags (`manager:`); absent when not given. */
  manager?: ManagerSpec;
  /** The catalog after the scenario's `hardware` overrides. */
  catalog: Catalog;
  /** Things that are allowed but probably not meant (radix exceeded on a single switch, ...). */
  warnings?: string[];
  /**
   * Where each key of the document was written, keyed by its dotted path as written
   * (`workload.training.parallelism.tp`, `cluster.groups.0.nodes`): the position of its value.
   * Read it with `positionOf`.
   */
  sourceMap?: Record<string, SourcePosition>;
}
