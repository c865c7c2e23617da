/**
 * Hardware catalog entries. All figures in SI base units (bytes, seconds, bytes/s, watts, USD).
 * Every entry names the public source of its figures; `notes` says what is derived or uncertain.
 * Bandwidths are per direction; TFLOP/s are dense (no sparsity).
 */
export interface Sourced {
  id: string;
  name: string;
  vendor: string;
  /** Datasheet / spec / paper the figures come from. */
  source: string;
  notes?: string;
}

/** Precisions a curve and a peak exist for: the tensor-core rate a GEMM runs at. */
export type ComputePrecision = "bf16" | "fp8";

/**
 * 4-bit block-scaled formats: NVFP4 (E2M1 values, an FP8 E4M3 scale per 16) and MXFP4 (OCP microscaling:
 * an E8M0 scale per 32). Both run at the accelerator's FP4 rate where it has that format.
 */
export type Fp4Format = "nvfp4" | "mxfp4";

/**
 * Achievable efficiency of kernels on an accelerator at one precision, as fractions of its dense peak
 * FLOP/s and HBM bandwidth (docs/compute-model.md). End-to-end shares: fitted on whole training steps.
 */
export interface EfficiencyCurve {
  /** Fraction of dense peak a large GEMM reaches. */
  gemmMax: number;
  /**
   * GEMM size scale: efficiency = gemmMax · d / (d + gemmHalfDim) with d the smallest of m, n, k (small
   * dimensions leave tensor-core tiles and SMs idle).
   */
  gemmHalfDim: number;
  /** Fraction of dense peak a fused (FlashAttention-style) attention kernel reaches on the FLOPs it executes. */
  flash: number;
  /** Fraction of HBM bandwidth element-wise kernels reach. */
  memory: number;
  /** Fixed cost per kernel (launch and tail), seconds. */
  launchS: number;
  /**
   * Fixed cost per inference decode step (one CUDA-graph launch and its host-side scheduling), seconds;
   * 0 when not given.
   */
  decodeStepS?: number;
  /** Where the values come from (the data and the fit). */
  source?: string;
}

export interface AcceleratorSpec extends Sourced {
  /** Dense peak FLOP/s per precision (FLOP/s, not TFLOP/s). */
  peakFlops: { bf16: number; fp8?: number; fp4?: number };
  /** The 4-bit formats its tensor cores run at the `fp4` rate (Blackwell: both; MI355X: MXFP4). */
  fp4Formats?: Fp4Format[];
  hbmBytes: number;
  /**
   * Memory the device exposes to programs (the driver's total, `nvidia-smi` memory.total), where known;
   * memory-fit checks use it in place of the marketed `hbmBytes`.
   */
  hbmExposedBytes?: number;
  /** HBM bandwidth, bytes/s. */
  hbmBandwidth: number;
  /** Default scale-up fabric id for this accelerator. */
  scaleUp: string;
  /** Default accelerators per node (server or tray). */
  perNode: number;
  powerW: number;
  /** Default on-demand price per accelerator-hour, USD (a documented assumption where no public price). */
  priceUsdPerHour: number;
  /** Purchase price per accelerator, USD: the plan's capital cost counts it when given. */
  priceUsd?: number;
  /**
   * Efficiency curves per precision, each with its source; a precision without one uses the BF16 curve,
   * an accelerator without any the default (A100, SC'21) curve. A scenario's `hardware:` may set them.
   */
  efficiency?: Partial<Record<ComputePrecision, Partial<EfficiencyCurve>>>;
}

export type ScaleUpTopology = "switch" | "mesh" | "ring";

export interface ScaleUpSpec extends Sourced {
  /** Per accelerator, per direction, bytes/s. */
  bandwidth: number;
  /** One-way latency accelerator to accelerator, seconds. */
  latency: number;
  topology: ScaleUpTopology;
  /** Default accelerators per scale-up domain. */
  domain: number;
  /** Largest domain the technology supports. */
  maxDomain: number;
  /**
   * The default domain spans several nodes (an NVL72 rack, a TPU cube): a group's domain defaults to
   * `domain` rather than to its acceleratorsPerNode.
   */
  multiNode?: boolean;
  /** The switch does the reduction (NVLink SHARP / NVLS, UALink in-network collectives). */
  inNetworkReduction: boolean;
  /** Calibrated (`weft calibrate`): achievable share of the link rate with NCCL's Simple protocol. */
  linkEfficiency?: number;
  /** Calibrated (`weft calibrate`): per-step latency α of the Simple protocol, seconds. */
  stepLatency?: number;
  /** Calibrated (`weft calibrate`): the same two for reductions in the switch (NVLS). */
  inNetworkLinkEfficiency?: number;
  inNetworkStepLatency?: number;
  /** Scale-up switch chip: ports and their per-direction bandwidth, when the topology is `switch`. */
  switchRadix?: number;
  switchPortBandwidth?: number;
  switchPowerW?: number;
  switchPriceUsd?: number;
}

export interface NicSpec extends Sourced {
  /** Per port, per direction, bytes/s. */
  bandwidth: number;
  /** Host interface bandwidth (PCIe), bytes/s per direction. */
  hostBandwidth: number;
  powerW: number;
  priceUsd: number;
}

export interface SwitchSpec extends Sourced {
  radix: number;
  /** Per port, per direction, bytes/s. */
  portBandwidth: number;
  /** Port-to-port latency, seconds. */
  latency: number;
  /** Buffer per output port queue, bytes. */
  buffer: number;
  powerW: number;
  priceUsd: number;
  /** The switch reduces in the network (InfiniBand SHARP, UEC in-network collectives). Default false. */
  inNetworkReduction?: boolean;
  /** Calibrated (`weft calibrate`): achievable share of the scale-out link rate, Simple protocol. */
  linkEfficiency?: number;
  /** Calibrated (`weft calibrate`): per-step latency α across the scale-out fabric, Simple, seconds. */
  stepLatency?: number;
}

/**
 * A cable assembly (one part with its connectors at both ends) rather than a pluggable transceiver: a
 * passive copper DAC, an active copper ACC, an active optical AOC, or a breakout (one twin-port end to two
 * ports).
 */
export type CableKind = "DAC" | "ACC" | "AOC" | "breakout";
export const CABLE_KINDS: readonly CableKind[] = ["DAC", "ACC", "AOC", "breakout"];

export interface OpticSpec extends Sourced {
  bandwidth: number;
  powerW: number;
  priceUsd: number;
  reachM: number;
  /** Copper (DAC/ACC) rather than an optical transceiver. */
  copper: boolean;
  /** Set for a cable assembly; absent for a transceiver module (one per cable end). */
  cable?: CableKind;
}

export interface Catalog {
  accelerators: Record<string, AcceleratorSpec>;
  scaleUp: Record<string, ScaleUpSpec>;
  nics: Record<string, NicSpec>;
  switches: Record<string, SwitchSpec>;
  optics: Record<string, OpticSpec>;
}

/** Transformer dimensions (model presets live in the catalog; scenarios may give their own). */
export interface MoeSpec {
  experts: number;
  topK: number;
  expertFfnHidden: number;
  sharedExperts: number;
  /** Leading layers that stay dense (DeepSeek-V3: 3). */
  denseLayers: number;
  /**
   * Group-limited routing (DeepSeek-V3's n_group 8, topk_group 4): the experts form `groups` equal groups
   * and a token's topK experts come from `groupsPerToken` of them. Absent: any expert.
   */
  groups?: number;
  groupsPerToken?: number;
}

export interface ModelSpec {
  /** Preset name, or `custom`. */
  name: string;
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  /** Per-head dimension (default hidden / heads). */
  headDim: number;
  ffnHidden: number;
  /** SwiGLU-style gated MLP (3 matrices) rather than 2. */
  gatedMlp: boolean;
  vocab: number;
  seqLength: number;
  moe?: MoeSpec;
  /** Multi-head latent attention (DeepSeek): compressed KV of kvLoraRank + ropeDim values per token per layer. */
  mla?: { kvLoraRank: number; qLoraRank: number; ropeDim: number };
}
