/**
 * How long a training step takes on the accelerators a job was placed on (analytical fidelity, the
 * project's own models), so that placement changes a job's speed:
 *
 *   step = compute · (1 + (pp − 1)/m) + n_tp · t_tp + t_dp
 *
 * - compute: the model's training FLOPs per token (3 × forward matmuls, src/model/flops.ts) times
 *   the step's tokens, shared by the job's accelerators, at the compute model's GEMM efficiency for the
 *   layer's shape (src/compute/efficiency.ts); (pp − 1)/m is the 1F1B pipeline bubble with m micro-batches
 *   per data-parallel rank;
 * - t_tp: one tensor-parallel all-reduce of a micro-batch's activations (b·s·h·2 bytes), n_tp = 4 per layer
 *   and micro-batch (two forward, two backward, Megatron-style), timed on the job's worst TP group (the
 *   first one that leaves its scale-up domain, if any) — a TP group cut across domains pays the scale-out
 *   fabric;
 * - t_dp: the gradient all-reduce (2 bytes per parameter of a tp·pp shard) over the data-parallel groups of
 *   the first pipeline stage, all at once (`concurrentCollectiveTime`, so groups sharing NICs and
 *   oversubscribed uplinks are counted), left exposed (no overlap with the backward pass: an upper bound
 *   the report states).
 * Pipeline sends are not counted (small next to the above for the models in presets).
 */

import { MODEL_PRESETS } from "../../catalog/model-presets.js";
import type { AcceleratorSpec } from "../../catalog/types.js";
import { concurrentCollectiveTime } from "../../collectives/run.js";
import type { CollectiveContext } from "../../collectives/types.js";
import { efficiencyFor, gemmEfficiency } from "../../compute/efficiency.js";
import { forwardMatmulFlopsPerToken } from "../../model/flops.js";
import { parameterCount } from "../../model/params.js";
import type { ClusterView } from "./cluster-view.js";
import type { TrainingJob } from "./trace.js";

export interface StepTime {
  stepS: number;
  computeS: number;
  tpS: number;
  dpS: number;
  /** Bytes each rank sends per step in the gradient all-reduce (ring: 2(n−1)/n of its shard). */
  dpBytesPerRank: number;
}

export function trainingStep(
  ctx: CollectiveContext,
  view: ClusterView,
  accelerator: AcceleratorSpec,
  job: TrainingJob,
  ranks: Int32Array,
): StepTime {
  const model = MODEL_PRESETS[job.model];
  const seq = job.seqLength ?? model.seqLength;
  const n = ranks.length;
  const { tp, pp } = job;
  const dp = n / (tp * pp);
  const microBatches = Math.max(1, Math.round(job.globalBatch / (dp * job.microBatch)));
  const tokens = job.globalBatch * seq;
  const flops = 3 * forwardMatmulFlopsPerToken(model) * tokens;
  const eff = gemmEfficiency(
    efficiencyFor(accelerator),
    job.microBatch * seq,
    model.hidden,
    model.hidden / tp,
  );
  const computeS = (flops / n / (accelerator.peakFlops.bf16 * eff)) * (1 + (pp - 1) / microBatches);
  let tpS = 0;
  if (tp > 1) {
    const group = worstTpGroup(view, ranks, tp);
    const bytes = job.microBatch * seq * model.hidden * 2;
    const one = concurrentCollectiveTime(ctx, "all-reduce", [group], bytes).timeS;
    tpS = 4 * (model.layers / pp) * microBatches * one;
  }
  let dpS = 0;
  let dpBytesPerRank = 0;
  if (dp > 1) {
    const gradBytes = (2 * parameterCount(model).total) / (tp * pp);
    const groups: Int32Array[] = [];
    for (let t = 0; t < tp; t++) {
      const g = new Int32Array(dp);
      for (let d = 0; d < dp; d++) g[d] = ranks[t + tp * d];
      groups.push(g);
    }
    dpS = concurrentCollectiveTime(ctx, "all-reduce", groups, gradBytes).timeS;
    dpBytesPerRank = (2 * (dp - 1) * gradBytes) / dp;
  }
  return { stepS: computeS + tpS + dpS, computeS, tpS, dpS, dpBytesPerRank };
}

function worstTpGroup(view: ClusterView, ranks: Int32Array, tp: number): Int32Array {
  for (let b = 0; b + tp <= ranks.length; b += tp) {
    const d = view.domain[ranks[b]];
    for (let i = 1; i < tp; i++) if (view.domain[ranks[b + i]] !== d) return ranks.slice(b, b + tp);
  }
  return ranks.slice(0, tp);
}
