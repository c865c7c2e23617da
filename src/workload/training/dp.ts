/**
 * Data-parallel gradient reduction and weight gathering around the pipeline schedule.
 *
 * Gradients: the buckets of a chunk become final during that chunk's last backward (layer by layer, last
 * layer first); each is reduced as soon as it is ready, one collective after another on the stage's
 * communication stream (Megatron-LM's overlap-grad-reduce). Plain data parallelism all-reduces; ZeRO 1/2
 * (the distributed optimizer) reduce-scatters.
 *
 * Weights (ZeRO 1/2): the updated shards are all-gathered at the start of the step, bucket by bucket in
 * the order the first forward uses them (overlap-param-gather); a layer's first forward cannot start
 * before its bucket arrives. ZeRO-3 moves its traffic into the passes (stage-cost.ts).
 */
import type { CommTime } from "./comm.js";
import type { TrainingPlan } from "./plan.js";
import type { PipelineResult } from "./schedule.js";
import { commTime, type StageCost, type StageNet } from "./stage-cost.js";

const GRAD_BYTES = 2;

export interface GradTail {
  /** When the stage's last gradient reduction ends (at least the end of its schedule). */
  endS: number;
  collective: string;
  tier: string;
}

export interface GatherGates {
  /**
   * Per chunk: the earliest end of the chunk's first forward allowed by the weight all-gather,
   * max over its layers q of (arrival of q's weights + time of layers q.. of the pass); 0 without ZeRO 1/2.
   */
  minEnd: Float64Array;
  tier: string;
}

function bucketTime(
  net: StageNet,
  op: "all-reduce" | "reduce-scatter" | "all-gather",
  expert: boolean,
  params: number,
): CommTime {
  return commTime(net, expert ? "edp" : "dp", op, params * GRAD_BYTES);
}

function reducesData(plan: TrainingPlan): boolean {
  return plan.p.zero < 3 && plan.p.dp * plan.p.cp > 1;
}

export function gatherGates(plan: TrainingPlan, net: StageNet, cost: StageCost): GatherGates {
  const minEnd = new Float64Array(plan.p.vpp);
  let tier = "leaf";
  if (!reducesData(plan) || plan.p.zero < 1) return { minEnd, tier };
  let g = 0;
  for (let c = 0; c < plan.p.vpp; c++) {
    const buckets = cost.chunks[c].buckets;
    const n = buckets.length;
    const F = cost.chunks[c].fwd.timeS;
    let end = 0;
    for (let b = n - 1; b >= 0; b--) {
      if (buckets[b].params <= 0) continue;
      const ct = bucketTime(net, "all-gather", buckets[b].expert, buckets[b].params);
      g += ct.timeS;
      tier = ct.tier;
      end = Math.max(end, g + ((b + 1) / n) * F); // layers from this one to the chunk's end still to run
    }
    minEnd[c] = end;
  }
  return { minEnd, tier };
}

/** One gradient bucket's reduction: when its gradients are final (from the step's start), and what it moves. */
export interface GradBucketReduce {
  readyS: number;
  op: "all-reduce" | "reduce-scatter";
  group: "dp" | "edp";
  bytes: number;
}

/**
 * Stage s's gradient reductions in the order its communication stream issues them: chunks by the end of
 * their last backward, then the chunk's buckets in backward order, each ready once its share of that
 * backward has run.
 */
export function gradBuckets(
  plan: TrainingPlan,
  cost: StageCost,
  pipe: PipelineResult,
  stage: number,
): GradBucketReduce[] {
  if (!reducesData(plan)) return [];
  const op = plan.p.zero === 0 ? "all-reduce" : "reduce-scatter";
  const chunks = cost.chunks.length;
  const lastStart = new Float64Array(chunks);
  const lastEnd = new Float64Array(chunks);
  for (let i = pipe.stageStart[stage]; i < pipe.stageStart[stage + 1]; i++) {
    const c = pipe.opChunk[i];
    if (pipe.opKind[i] === 1 && pipe.opEnd[i] >= lastEnd[c]) {
      lastStart[c] = pipe.opStart[i];
      lastEnd[c] = pipe.opEnd[i];
    }
  }
  const order = Array.from({ length: chunks }, (_, c) => c).sort((a, b) => lastEnd[a] - lastEnd[b]);
  const out: GradBucketReduce[] = [];
  for (const c of order) {
    const buckets = cost.chunks[c].buckets;
    const span = lastEnd[c] - lastStart[c];
    for (let b = 0; b < buckets.length; b++) {
      if (buckets[b].params <= 0) continue;
      out.push({
        readyS: lastStart[c] + ((b + 1) / buckets.length) * span,
        op,
        group: buckets[b].expert ? "edp" : "dp",
        bytes: buckets[b].params * GRAD_BYTES,
      });
    }
  }
  return out;
}

/** The ZeRO 1/2 weight all-gathers of a stage, in the order `gatherGates` chains them (empty otherwise). */
export function gatherBuckets(plan: TrainingPlan, cost: StageCost): { group: "dp" | "edp"; bytes: number }[] {
  if (!reducesData(plan) || plan.p.zero < 1) return [];
  const out: { group: "dp" | "edp"; bytes: number }[] = [];
  for (let c = 0; c < cost.chunks.length; c++) {
    const buckets = cost.chunks[c].buckets;
    for (let b = buckets.length - 1; b >= 0; b--) {
      if (buckets[b].params > 0)
        out.push({ group: buckets[b].expert ? "edp" : "dp", bytes: buckets[b].params * GRAD_BYTES });
    }
  }
  return out;
}

export function gradTail(
  plan: TrainingPlan,
  net: StageNet,
  cost: StageCost,
  pipe: PipelineResult,
  stage: number,
): GradTail {
  const op = plan.p.zero === 0 ? "all-reduce" : "reduce-scatter";
  const buckets = gradBuckets(plan, cost, pipe, stage);
  if (buckets.length === 0) return { endS: pipe.stageEnd[stage], collective: op, tier: "leaf" };
  let t = 0;
  let worst = 0;
  let tier = "leaf";
  for (const b of buckets) {
    const ct = commTime(net, b.group, b.op, b.bytes);
    t = Math.max(t, b.readyS) + ct.timeS;
    if (ct.timeS > worst) {
      worst = ct.timeS;
      tier = ct.tier;
    }
  }
  return { endS: Math.max(t, pipe.stageEnd[stage]), collective: op, tier };
}
