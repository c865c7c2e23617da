/**
 * One collective made ready to run on the shared network: the algorithm and protocol the tuner picks, and
 * each phase's wire flows of every group, chosen exactly as `concurrentCollectiveTime` chooses them, so a
 * collective run alone on the network lasts what that function says.
 *
 * A phase of the schedule is `repeat + fillSteps` identical steps; it moves as one transfer of
 * k = repeat + fillSteps times the step's wire bytes and is charged as `timePhases` charges it:
 *   phase = α + transfer,   transfer = k · (makespan − L)
 * where L is the step's path latency (evaluate.ts) and makespan is measured on the network. A fluid
 * transfer of k times the bytes takes k times as long alone; with other jobs it takes as long as the
 * shared fabric lets it (the k steps run back to back without barriers in between: the steady state of a
 * ring or pipeline). At analytical fidelity (no contention by definition) a collective lasts its closed form.
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
import { buildOptions, concurrentCollectiveTime } from "../collectives/run.js";
import { buildPhases } from "../collectives/schedule.js";
import { tune } from "../collectives/tuner.js";
import type { CollectiveContext } from "../collectives/types.js";
import type { CollectiveAlgorithm, CollectiveOp } from "../scenario/types.js";
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

export interface PreparedCollective {
  bytes: number;
  /** `algorithm/protocol`, as a collective run reports it. */
  algorithm: string;
  /** Analytical: the closed-form time; flow: the protocol's base latency, paid once. */
  fixedS: number;
  phases: PreparedPhase[];
}

/** `op` of `bytes` run at once by every group of `groups` (disjoint copies of the first, as siblings are). */
export function prepareCollective(
  ctx: CollectiveContext,
  op: CollectiveOp,
  groups: readonly Int32Array[],
  bytes: number,
  algorithm: CollectiveAlgorithm = "auto",
): PreparedCollective {
  if (ctx.fidelity === "analytical") {
    const t = concurrentCollectiveTime(ctx, op, groups, bytes, algorithm);
    return { bytes, algorithm: `${t.algorithm}/${t.protocol}`, fixedS: t.timeS, phases: [] };
  }
  const model = ctx.model ?? MODEL;
  const layout = rankLayout(ctx.fabric, ctx.router, groups[0]);
  const set = groupSet(layout, groups);
  const options = buildOptions(ctx, layout);
  const choice = tune(layout, op, bytes, algorithm, options, closedFormTimer(set, model), model);
  const built = buildPhases(layout, op, bytes, choice.algorithm, options);
  const phases = built.map((phase): PreparedPhase => {
    const wire = wireFlows(mergedFlows(set, phase.flows), choice.protocol, phase.efficiency, model);
    const k = phase.repeat + phase.fillSteps;
    const scaled = new Float64Array(wire.count);
    for (let f = 0; f < wire.count; f++) scaled[f] = wire.bytes[f] * k;
    return {
      flows: { ...wire, bytes: scaled },
      k,
      alphaS: phaseAlpha(layout, phase, choice.protocol, model),
      pathLatencyS: stepPathLatency(layout, phaseLoads(layout, phase)),
    };
  });
  const base = layout.n > 1 && built.length > 0 ? model.baseLatencyS[choice.protocol] : 0;
  return { bytes, algorithm: `${choice.algorithm}/${choice.protocol}`, fixedS: base, phases };
}

/** Runs a prepared collective on the network now, as job `tag`; returns when its last phase is charged. */
export function* runCollective(net: Network, c: PreparedCollective, tag: number): ProcessBody {
  const clock = net.clock;
  if (c.fixedS > 0) yield c.fixedS;
  for (const phase of c.phases) {
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
}
