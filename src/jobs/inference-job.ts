/**
 * An inference service as a job: its serving simulation scheduled on the shared clock, its KV and offload
 * transfers flows of the job's tag on the shared network (src/workload/inference/run.ts), its pools placed
 * inside the job's accelerators. The job's "step" is its p99 time to first token, what its SLO bounds and
 * what other jobs' traffic on its KV paths raises.
 */
import type { CollectiveContext } from "../collectives/types.js";
import type { InferenceResults } from "../results/types.js";
import type { InferenceWorkload, JobSpec, Scenario } from "../scenario/types.js";
import type { Network } from "../sim/network/types.js";
import type { ProcessBody } from "../sim/process.js";
import { type InferenceDeps, startInferenceService } from "../workload/inference/run.js";
import { collectiveCommModel } from "../workload/training/comm.js";
import type { JobRecord } from "./collective-job.js";

export interface InferenceJob {
  kind: "inference";
  spec: JobSpec;
  workload: InferenceWorkload;
  scenario: Scenario;
  deps: InferenceDeps;
}

export function prepareInferenceJob(
  ctx: CollectiveContext,
  scenario: Scenario,
  spec: JobSpec,
  workload: InferenceWorkload,
): InferenceJob {
  const deps: InferenceDeps = {
    fabric: ctx.fabric,
    router: ctx.router,
    engine: ctx.engine,
    comm: collectiveCommModel(ctx),
  };
  return { kind: "inference", spec, workload, scenario: { ...scenario, workload, jobs: undefined }, deps };
}

export function* inferenceJobProcess(
  net: Network,
  job: InferenceJob,
  tag: number,
  record: JobRecord,
): ProcessBody {
  const clock = net.clock;
  const service = startInferenceService(clock, net, tag, job.scenario, job.workload, job.deps, {
    startS: clock.now,
    ranks: job.spec.ranks,
  });
  yield service.done;
  const results: InferenceResults = service.finish().results;
  record.inference = results;
  record.stepS.push(results.ttftS.p99);
  record.endS = clock.now;
}
