/**
 * multi-job: four jobs at once on 4,096 H100 (512 servers of 8, NVLink 4, eight 400 Gb/s NICs each) on a
 * 3-tier fat-tree of QM9700 with 2:1 oversubscription at the leaves, flow fidelity: three data-parallel
 * jobs of a quarter of the accelerators each, one step of 30 ms compute and a 1 GiB gradient all-reduce,
 * started 5 ms apart, and a traffic job on the last quarter: a random permutation of 256 MB flows. Every
 * job runs as a process on one clock and one network, then each job that met another runs alone on the
 * same placement, and the interference is attributed. Target 30 s. Quick: 512 accelerators.
 * `MULTI_JOB_SERVERS=2048` runs the same shape on 16,384 accelerators (well beyond the target today:
 * every completion refills its whole max-min component, and a job's flows form one component).
 */

import { runJobs } from "../../src/jobs/run-jobs.js";
import { parseScenario } from "../../src/scenario/load.js";
import type { BenchCase } from "../case.js";

function scenarioText(servers: number): string {
  const perJob = (servers * 8) / 4;
  const dp = (name: string, start: string) => `  - name: ${name}
    placement: auto
    accelerators: ${perJob}
    start: ${start}
    compute: 30ms
    collective: { op: all-reduce, sizes: [1GiB] }
`;
  return `name: multi-job
cluster:
  groups:
    - { name: gpu, nodes: ${servers}, accelerator: H100-SXM, acceleratorsPerNode: 8, scaleUp: nvlink4, nics: { count: 8, bandwidth: 400Gbps } }
  scaleOut: { topology: fat-tree, tiers: ${servers > 64 ? 3 : 2}, switch: QM9700, oversubscription: 2 }
jobs:
${dp("dp-a", "0ms")}${dp("dp-b", "5ms")}${dp("dp-c", "10ms")}  - name: shuffle
    placement: auto
    accelerators: ${perJob}
    start: 2ms
    traffic: { pattern: permutation, size: 256MB }
simulation: { fidelity: flow, seed: 1 }
`;
}

const bench: BenchCase = {
  name: "multi-job",
  description:
    "4 jobs (3 data-parallel all-reduces, 1 permutation traffic) on 4,096 H100, 3-tier 2:1 fat-tree, flow, with each alone",
  targetS: 30,
  quick: true,
  run({ quick }) {
    const servers = Number(process.env.MULTI_JOB_SERVERS) || (quick ? 64 : 512);
    const r = runJobs(parseScenario(scenarioText(servers), "<multi-job>"));
    const extra: Record<string, number> = { accelerators: r.fabric.accelerators, jobs: r.jobs.length };
    for (const j of r.jobs) extra[`${j.name}Slowdown`] = j.slowdown;
    return { simulatedS: r.makespanS, extra };
  },
};

export default bench;
