/**
 * A collective job as a process: each step computes for `computeS`, then runs its collective once per
 * size. At flow fidelity every phase's flows go through the shared network, so they meet the other jobs';
 * at analytical fidelity (no contention by definition) a phase lasts what the closed form says.
 *
 * A phase of the schedule is `repeat + fillSteps` identical steps; the process moves them as one transfer
 * of k = repeat + fillSteps times the step's wire bytes and charges the phase as `collectiveTime` does:
 *   phase = Σα + transfer,   transfer = k · (makespan − L)
 * where L is the step's path latency (evaluate.ts) and makespan is measured on the network. A fluid
 * transfer of k times the bytes takes k times as long alone, so a job alone gives its `workload:` time;
 * with others it takes as long as the shared fabric lets it (the k steps run back to back without
 * barriers in between: the steady state of a ring or pipeline).
 */

import {
  closedFormTimer,
  phaseAlpha,
  phaseLoads,
  stepPathLatency,
  wireFlows,
} from "../collectives/evaluate.js";
import { groupSet, mergedFlows } from "../collectives/group-set.js";
import { rankLayout } from "../collectives/layout.js";
import { MODEL } from "../collectives/protocol.js";
import { buildOptions, collectiveTime } from "../collectives/run.js";
import { buildPhases } from "../collectives/schedule.js";
import { tune } from "../collectives/tuner.js";
import type { CollectiveContext } from "../collectives/types.js";
import type { CollectiveWorkload, JobSpec } from "../scenario/types.js";
import type { FlowSet } from "../sim/flows.js";
import { transfer } from "../sim/network/transfer.js";
import type { Network } from "../sim/network/types.js";
import type { ProcessBody } from "../sim/process.js";

interface PreparedPhase {
  /** Wire bytes of all k steps. */
  flows: FlowSet;
  k: number;
  alphaS: number;
  pathLatencyS: number;
}

interface PreparedSize {
  bytes: number;
  algorithm: string;
  /** Analytical: the closed-form time; flow: the protocol's base latency, paid once. */
  fixedS: number;
  phases: PreparedPhase[];
}

export interface CollectiveJob {
  kind: "collective";
  spec: JobSpec;
  workload: CollectiveWorkload;
  sizes: PreparedSize[];
}

/** What a run of a job records: per step its duration, and each size's collective time or each flow's FCT. */
export interface JobRecord {
  stepS: number[];
  sizeS: number[][];
  fctS: number[];
  endS: number;
}

export function prepareCollectiveJob(
  ctx: CollectiveContext,
  spec: JobSpec,
  workload: CollectiveWorkload,
): CollectiveJob {
  const ranks = Int32Array.from(spec.ranks);
  const { op, algorithm } = workload;
  const sizes = workload.sizes.map((bytes): PreparedSize => {
    if (ctx.fidelity === "analytical") {
      const t = collectiveTime(ctx, op, ranks, bytes, algorithm);
      return { bytes, algorithm: `${t.algorithm}/${t.protocol}`, fixedS: t.timeS, phases: [] };
    }
    const layout = rankLayout(ctx.fabric, ctx.router, ranks);
    const set = groupSet(layout, [ranks]);
    const options = buildOptions(ctx, layout);
    const choice = tune(layout, op, bytes, algorithm, options, closedFormTimer(set));
    const built = buildPhases(layout, op, bytes, choice.algorithm, options);
    const phases = built.map((phase): PreparedPhase => {
      const wire = wireFlows(mergedFlows(set, phase.flows), choice.protocol, phase.efficiency);
      const k = phase.repeat + phase.fillSteps;
      const scaled = new Float64Array(wire.count);
      for (let f = 0; f < wire.count; f++) scaled[f] = wire.bytes[f] * k;
      return {
        flows: { ...wire, bytes: scaled },
        k,
        alphaS: phaseAlpha(layout, phase, choice.protocol),
        pathLatencyS: stepPathLatency(layout, phaseLoads(layout, phase)),
      };
    });
    const base = layout.n > 1 && built.length > 0 ? MODEL.baseLatencyS[choice.protocol] : 0;
    return { bytes, algorithm: `${choice.algorithm}/${choice.protocol}`, fixedS: base, phases };
  });
  return { kind: "collective", spec, workload, sizes };
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
      if (size.fixedS > 0) yield size.fixedS;
      for (const phase of size.phases) {
        const start = clock.now;
        const group = transfer(net, phase.flows, tag);
        yield group.done;
        // The last flow's transfer (its delivery less its latency), with k steps' worth of latency above L.
        const moved =
          group.pending === 0 && group.lastFinish > 0 ? group.lastFinish - start - group.lastLatency : 0;
        const transferS = Math.max(0, moved + phase.k * (group.lastLatency - phase.pathLatencyS));
        const wait = start + phase.alphaS + transferS - clock.now;
        if (wait > 0) yield wait;
      }
      times.push(clock.now - s0);
    }
    record.sizeS.push(times);
    record.stepS.push(clock.now - t0);
  }
  record.endS = clock.now;
}
