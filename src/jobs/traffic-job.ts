/**
 * A traffic job as a process: each step computes for `computeS`, then starts its pattern's flows among its
 * accelerators (permutation, incast, all-to-all, as `workload.traffic` over the job's endpoints in
 * placement order) at their start offsets and waits until the last is delivered. Each flow's completion
 * time is recorded. Alone on the whole cluster it gives the flow times of `workload.traffic`.
 */
import type { JobSpec, TrafficWorkload } from "../scenario/types.js";
import type { FlowSet } from "../sim/flows.js";
import { transfer } from "../sim/network/transfer.js";
import type { Network } from "../sim/network/types.js";
import type { ProcessBody } from "../sim/process.js";
import type { Fabric } from "../topology/fabric.js";
import { trafficFlows } from "../workload/traffic/patterns.js";
import type { JobRecord } from "./collective-job.js";

export interface TrafficJob {
  kind: "traffic";
  spec: JobSpec;
  workload: TrafficWorkload;
  flows: FlowSet;
}

export function prepareTrafficJob(
  fabric: Fabric,
  seed: number,
  spec: JobSpec,
  workload: TrafficWorkload,
): TrafficJob {
  const endpoints = Int32Array.from(spec.ranks, (r) => fabric.accelerators.node[r]);
  return { kind: "traffic", spec, workload, flows: trafficFlows(workload, fabric, seed, endpoints).flows };
}

export function* trafficJobProcess(
  net: Network,
  job: TrafficJob,
  tag: number,
  record: JobRecord,
): ProcessBody {
  const clock = net.clock;
  const { flows } = job;
  const ids = new Int32Array(flows.count);
  for (let step = 0; step < job.spec.steps; step++) {
    const t0 = clock.now;
    if (job.spec.computeS > 0) yield job.spec.computeS;
    const start = clock.now;
    yield transfer(net, flows, tag, ids).done;
    for (let f = 0; f < flows.count; f++) record.fctS.push(net.finishOf(ids[f]) - start - flows.start[f]);
    record.stepS.push(clock.now - t0);
  }
  record.endS = clock.now;
}
