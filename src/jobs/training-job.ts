/**
 * A training job as a process. Its step is the one-job step (src/workload/training/step.ts) with the
 * traffic that leaves the job's scale-up domains every step put on the shared network:
 * - the ZeRO 1/2 weight all-gathers, chained from the step's start on each stage's communication stream;
 *   when they end d later than they do alone, the pipeline ends d later (a layer's first forward waits for
 *   its weights, and the delay carries through the schedule);
 * - the gradient reductions, bucket by bucket as the one-job step issues them: a bucket starts once its
 *   gradients are final (its ready time, shifted by d) and the previous bucket of its stage is reduced.
 * The step ends when the pipeline and every stage's reductions have, plus the optimizer. Each collective
 * runs as `concurrentCollectiveTime` times it (every data-parallel copy of the stage at once), so on a
 * fabric of its own, and with one stage reducing at a time, the job's step is the one-job step exactly.
 * Traffic inside the passes (tensor, context, expert and pipeline parallel) keeps its one-job time: it
 * stays within the job's own domains and leaves, or is too short-lived to meet much.
 */
import type { CollectiveContext } from "../collectives/types.js";
import type { TrainingResults } from "../results/types.js";
import type { CollectiveOp, JobSpec, Scenario, TrainingWorkload } from "../scenario/types.js";
import type { Network } from "../sim/network/types.js";
import { allOf, type ProcessBody, type Signal, spawn } from "../sim/process.js";
import type { Fabric } from "../topology/fabric.js";
import { collectiveCommModel } from "../workload/training/comm.js";
import { gatherBuckets, gradBuckets } from "../workload/training/dp.js";
import { optimizerTime } from "../workload/training/optimizer.js";
import type { TrainingPlan } from "../workload/training/plan.js";
import { commTime, type StageNet, stageNet } from "../workload/training/stage-cost.js";
import { simulateTraining } from "../workload/training/step.js";
import type { JobRecord } from "./collective-job.js";
import { type PreparedCollective, prepareCollective, runCollective } from "./prepared-collective.js";

interface StageTraffic {
  /** Weight all-gathers, back to back from the step's start, and their time alone. */
  gathers: PreparedCollective[];
  gatherAloneS: number;
  /** Gradient reductions and when each bucket's gradients are final, from the step's start. */
  grads: { readyS: number; collective: PreparedCollective }[];
}

export interface TrainingJob {
  kind: "training";
  spec: JobSpec;
  workload: TrainingWorkload;
  /** The step alone, as `workload: training` reports it. */
  alone: TrainingResults;
  stages: StageTraffic[];
  /** End of the pipeline schedule alone, and the optimizer after the reductions, seconds. */
  pipelineS: number;
  optimizerS: number;
}

export function prepareTrainingJob(
  ctx: CollectiveContext,
  scenario: Scenario,
  fabric: Fabric,
  spec: JobSpec,
  workload: TrainingWorkload,
): TrainingJob {
  const jobScenario: Scenario = { ...scenario, workload, jobs: undefined };
  const comm = collectiveCommModel(ctx);
  const { results, plan, step } = simulateTraining(jobScenario, {
    fabric,
    comm,
    options: { ranks: spec.ranks },
  });
  const cache = new Map<string, PreparedCollective>();
  const prepared = (net: StageNet, kind: "dp" | "edp", op: CollectiveOp, bytes: number) => {
    const ranks = net.groups[kind];
    const key = `${ranks[0]}|${kind}|${op}|${bytes}`;
    let c = cache.get(key);
    if (!c) {
      c = prepareCollective(ctx, op, [ranks, ...net.siblings[kind]], bytes);
      cache.set(key, c);
    }
    return c;
  };
  const stages = Array.from({ length: plan.p.pp }, (_, s): StageTraffic => {
    const net = stageNet(plan, comm, s);
    const moves = (kind: "dp" | "edp", bytes: number) => net.groups[kind].length > 1 && bytes > 0;
    const gathers = gatherBuckets(plan, step.costs[s]).filter((b) => moves(b.group, b.bytes));
    return {
      gathers: gathers.map((b) => prepared(net, b.group, "all-gather", b.bytes)),
      gatherAloneS: gathers.reduce((t, b) => t + commTime(net, b.group, "all-gather", b.bytes).timeS, 0),
      grads: gradBuckets(plan, step.costs[s], step.pipe, s)
        .filter((b) => moves(b.group, b.bytes))
        .map((b) => ({ readyS: b.readyS, collective: prepared(net, b.group, b.op, b.bytes) })),
    };
  });
  return {
    kind: "training",
    spec,
    workload,
    alone: results,
    stages,
    pipelineS: step.pipe.makespan,
    optimizerS: optimizerOf(plan),
  };
}

function optimizerOf(plan: TrainingPlan): number {
  let t = 0;
  for (let s = 0; s < plan.p.pp; s++) t = Math.max(t, optimizerTime(plan, s));
  return t;
}

export function* trainingJobProcess(
  net: Network,
  job: TrainingJob,
  tag: number,
  record: JobRecord,
): ProcessBody {
  const clock = net.clock;
  for (let step = 0; step < job.spec.steps; step++) {
    const t0 = clock.now;
    const gate = { delayS: 0 };
    const gathers = job.stages.map(
      (stage, s) =>
        spawn(clock, gatherChain(net, stage, tag, t0, gate), { name: `${job.spec.name} gathers ${s}` }).done,
    );
    const gathered = allOf(clock, gathers);
    const reductions = job.stages.map(
      (stage, s) =>
        spawn(clock, gradChain(net, stage, tag, t0, gate, gathered), { name: `${job.spec.name} grads ${s}` })
          .done,
    );
    yield allOf(clock, [gathered, ...reductions]);
    const pipelineEnd = t0 + gate.delayS + job.pipelineS;
    if (pipelineEnd > clock.now) yield pipelineEnd - clock.now;
    if (job.optimizerS > 0) yield job.optimizerS;
    record.stepS.push(clock.now - t0);
  }
  record.endS = clock.now;
}

function* gatherChain(
  net: Network,
  stage: StageTraffic,
  tag: number,
  t0: number,
  gate: { delayS: number },
): ProcessBody {
  if (stage.gathers.length === 0) return;
  for (const c of stage.gathers) yield* runCollective(net, c, tag);
  gate.delayS = Math.max(gate.delayS, net.clock.now - t0 - stage.gatherAloneS);
}

function* gradChain(
  net: Network,
  stage: StageTraffic,
  tag: number,
  t0: number,
  gate: { delayS: number },
  gathered: Signal,
): ProcessBody {
  const clock = net.clock;
  for (const b of stage.grads) {
    if (!gathered.fired) yield gathered;
    const at = t0 + gate.delayS + b.readyS;
    if (at > clock.now) yield at - clock.now;
    yield* runCollective(net, b.collective, tag);
  }
}
