/**
 * A collective job as a process: each step computes for `computeS`, then runs its collective once per
 * size on the shared network (prepared-collective.ts: a job alone gives its `workload:` time; with others
 * it takes as long as the shared fabric lets it).
 */
import { ncclTestsBuffer } from "../collectives/run.js";
import type { CollectiveContext } from "../collectives/types.js";
import type { InferenceResults } from "../results/types.js";
import type { CollectiveWorkload, JobSpec } from "../scenario/types.js";
import type { Network } from "../sim/network/types.js";
import type { ProcessBody } from "../sim/process.js";
import { type PreparedCollective, prepareCollective, runCollective } from "./prepared-collective.js";

export interface CollectiveJob {
  kind: "collective";
  spec: JobSpec;
  workload: CollectiveWorkload;
  sizes: PreparedCollective[];
  /** The count nccl-tests prints for each size (per rank for all-gather, reduce-scatter, all-to-all). */
  counts: number[];
}

/** What a run of a job records: per step its duration, and each size's collective time or each flow's FCT. */
export interface JobRecord {
  stepS: number[];
  sizeS: number[][];
  fctS: number[];
  endS: number;
  /** Inference: the service's results with the others (or alone). */
  inference?: InferenceResults;
}

export function prepareCollectiveJob(
  ctx: CollectiveContext,
  spec: JobSpec,
  workload: CollectiveWorkload,
): CollectiveJob {
  const ranks = Int32Array.from(spec.ranks);
  // Each size as nccl-tests would run it, as a `workload:` collective is (ncclTestsBuffer).
  const buffers = workload.sizes.map((bytes) => ncclTestsBuffer(workload.op, bytes, ranks.length));
  const sizes = buffers.map((b) =>
    prepareCollective(ctx, workload.op, [ranks], b.sizeBytes, workload.algorithm),
  );
  return { kind: "collective", spec, workload, sizes, counts: buffers.map((b) => b.count) };
}

export function* collectiveJobProcess(
  net: Network,
  job: CollectiveJob,
  tag: number,
  record: JobRecord,
): ProcessBody {
  const clock = net.clock;
  for (let step = 0; step < job.spec.steps; step++) {
    const t0 = clock.now;
    if (job.spec.computeS > 0) yield job.spec.computeS;
    const times: number[] = [];
    for (const size of job.sizes) {
      const s0 = clock.now;
      yield* runCollective(net, size, tag);
      times.push(clock.now - s0);
    }
    record.sizeS.push(times);
    record.stepS.push(clock.now - t0);
  }
  record.endS = clock.now;
}
