/**
 * The optimizer step: mixed-precision Adam is memory-bound. Per parameter it reads the FP32 master weight,
 * both moments and the BF16 gradient and writes the master, the moments and the BF16 weight:
 * 4·3 + 2 read, 4·3 + 2 written = 28 bytes, at the achievable HBM bandwidth. ZeRO ≥ 1 updates only the
 * rank's shard.
 */
import { expertReplicas, stageParams } from "../../model/memory.js";
import type { TrainingPlan } from "./plan.js";

export const ADAM_BYTES_PER_PARAM = 28;

export function optimizerTime(plan: TrainingPlan, stage: number): number {
  // DualPipe: a rank also holds the mirror stage of the other direction
  const mirror = plan.workload.schedule === "dualpipe" ? plan.p.pp - 1 - stage : -1;
  const own = stageParams(plan.model, plan.p, stage);
  const other = mirror >= 0 ? stageParams(plan.model, plan.p, mirror) : { dense: 0, expert: 0 };
  const dense = own.dense + other.dense;
  const expert = own.expert + other.expert;
  const shards = plan.p.zero >= 1 ? plan.p.dp * plan.p.cp : 1;
  const expertShards = plan.p.zero >= 1 ? expertReplicas(plan.p) : 1;
  const params = dense / shards + expert / expertShards;
  return (params * ADAM_BYTES_PER_PARAM) / (plan.target.curve.memory * plan.accelerator.hbmBandwidth);
}
