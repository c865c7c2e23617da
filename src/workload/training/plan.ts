/**
 * A training job made ready to simulate: the scenario checked (checks.ts), the job's group and rank layout,
 * micro-batches, the sharding of every layer and the accelerator the kernels run on.
 */
import type { AcceleratorSpec } from "../../catalog/types.js";
import type { EfficiencyCurve } from "../../compute/efficiency.js";
import { type ComputeTarget, computeTarget } from "../../compute/roofline.js";
import { WeftError } from "../../errors.js";
import type { AttentionKernel, ShardSpec } from "../../model/layer-ops.js";
import type {
  GroupSpec,
  ModelSpec,
  ParallelismSpec,
  Scenario,
  TrainingWorkload,
} from "../../scenario/types.js";
import { checkTraining } from "./checks.js";
import { jobGroup } from "./comm.js";
import { type RankLayout, rankLayout } from "./placement.js";

export interface TrainingOptions {
  /**
   * Attention kernels: `flash` (fused, FlashAttention-style; the default) or `unfused` (GEMM, softmax,
   * dropout, GEMM as Megatron-LM ran them in 2021). A workload may also carry `attention` itself.
   */
  attention?: AttentionKernel;
  /** Overlap tensor-parallel collectives with the GEMMs of the same block (Transformer Engine userbuffers). */
  tpCommOverlap?: boolean;
  /** Efficiency curve to use instead of the accelerator's calibrated BF16 one. */
  curve?: EfficiencyCurve;
  /** Efficiency curve of FP8 GEMMs instead of the accelerator's calibrated FP8 one. */
  fp8Curve?: EfficiencyCurve;
  /**
   * Run on these global ranks only, whole nodes of the workload's group in job order (a job of `jobs:`).
   * Absent: the whole group, in rank order.
   */
  ranks?: readonly number[];
}

export interface TrainingPlan {
  scenario: Scenario;
  workload: TrainingWorkload;
  model: ModelSpec;
  p: ParallelismSpec;
  /** Micro-batches per step per pipeline: globalBatch / (microBatch · dp). */
  m: number;
  group: GroupSpec;
  accelerator: AcceleratorSpec;
  accelerators: number;
  layout: RankLayout;
  target: ComputeTarget;
  shard: ShardSpec;
  attention: AttentionKernel;
  tpCommOverlap: boolean;
  warnings: string[];
}

export function trainingPlan(scenario: Scenario, options: TrainingOptions = {}): TrainingPlan {
  const workload = scenario.workload;
  if (workload.kind !== "training") {
    throw new WeftError(`runTraining needs a training workload, got a ${workload.kind} workload`);
  }
  const whole = jobGroup(scenario, workload.group);
  const ranks = options.ranks ? Int32Array.from(options.ranks) : undefined;
  const group = ranks
    ? { ...whole.group, nodes: ranks.length / whole.group.acceleratorsPerNode }
    : whole.group;
  const firstRank = ranks ? ranks[0] : whole.firstRank;
  const accelerator = group.accelerator;
  if (!accelerator) throw new WeftError(`group ${group.name} has no accelerator`);
  // A run option (used by calibration scripts) wins over the scenario's own choice.
  const attention: AttentionKernel = options.attention ?? workload.attention ?? "flash";
  const warnings: string[] = [];
  const p = workload.parallelism;
  const m = workload.globalBatch / (workload.microBatch * p.dp);
  checkTraining(scenario, { group, attention, m });

  let fp8 = workload.precision === "fp8";
  if (fp8 && !accelerator.peakFlops.fp8) {
    warnings.push(`${accelerator.id} has no FP8 tensor cores; GEMMs run at BF16 rate`);
    fp8 = false;
  }
  const domain = group.scaleUp?.domain ?? group.acceleratorsPerNode;
  if (p.tp > 1 && domain % p.tp !== 0) {
    warnings.push(
      `tp ${p.tp} does not divide the scale-up domain of ${domain}: some tensor-parallel groups cross the scale-out fabric`,
    );
  }
  return {
    scenario,
    workload,
    model: workload.model,
    p,
    m,
    group,
    accelerator,
    accelerators: group.nodes * group.acceleratorsPerNode,
    layout: rankLayout(p, firstRank, ranks),
    target: computeTarget(accelerator, options.curve, options.fp8Curve),
    shard: {
      tp: p.tp,
      cp: p.cp,
      ep: p.ep,
      ...(p.etp && p.etp > 1 ? { etp: p.etp } : {}),
      sequenceParallel: p.sequenceParallel && p.tp > 1,
      microBatch: workload.microBatch,
      seqLength: workload.model.seqLength,
      attention,
      causal: true,
      fp8,
    },
    attention,
    tpCommOverlap: options.tpCommOverlap ?? false,
    warnings,
  };
}
