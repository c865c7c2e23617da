/**
 * multi-job: the shape of a shared cluster, flow fidelity, on H100 servers of 8 (NVLink 4, eight 400 Gb/s
 * NICs each) on a 3-tier fat-tree of QM9700 with 2:1 oversubscription at the leaves. A quarter of the
 * accelerators each: two Llama 3 70B pre-training jobs (tp 8, pp 4, ZeRO 1), one Llama 3 8B job (tp 8,
 * data parallel), one training step each, started 5 ms apart, and a disaggregated Llama 3 70B service
 * (prefill and decode instances of tp 8) serving 10,000 requests. Every job is a process on one clock and
 * one network; each job that met another runs again alone; the interference is attributed. Default:
 * 2,048 servers (16,384 accelerators), the size the 30 s target is set for; quick: 64 servers (512
 * accelerators); `MULTI_JOB_SERVERS` sets another size.
 */

import { runJobs } from "../../src/jobs/run-jobs.js";
import { parseScenario } from "../../src/scenario/load.js";
import type { BenchCase } from "../case.js";

/** The scenario on `servers` servers; `loadBalancing` as the transport's (default: the scenario's, ECMP). */
export function scenarioText(servers: number, loadBalancing?: "spray" | "adaptive"): string {
  const perJob = (servers * 8) / 4;
  const dp70 = perJob / 32;
  const training = (name: string, start: string, body: string) => `  - name: ${name}
    placement: auto
    accelerators: ${perJob}
    start: ${start}
    training: ${body}
`;
  const big = `{ model: llama3-70b, parallelism: { tp: 8, pp: 4, dp: ${dp70}, zero: 1, sequenceParallel: true }, microBatch: 1, globalBatch: ${dp70 * 8}, recompute: selective }`;
  const small = `{ model: llama3-8b, parallelism: { tp: 8, dp: ${perJob / 8} }, microBatch: 1, globalBatch: ${perJob / 4} }`;
  const instances = perJob / 16;
  return `name: multi-job
cluster:
  groups:
    - { name: gpu, nodes: ${servers}, accelerator: H100-SXM, acceleratorsPerNode: 8, scaleUp: nvlink4, nics: { count: 8, bandwidth: 400Gbps } }
  scaleOut: { topology: fat-tree, tiers: ${servers > 64 ? 3 : 2}, switch: QM9700, oversubscription: 2 }
${loadBalancing ? `  transport: { loadBalancing: ${loadBalancing} }\n` : ""}jobs:
${training("pretrain-a", "0ms", big)}${training("pretrain-b", "5ms", big)}${training("finetune", "10ms", small)}  - name: serve
    placement: auto
    accelerators: ${perJob}
    inference:
      model: llama3-70b
      prefill: { tp: 8, instances: ${instances}, maxBatch: 64 }
      decode: { tp: 8, instances: ${instances}, maxBatch: 256 }
      requests: { rate: ${instances * 4}/s, count: 10000, promptTokens: { dist: lognormal, mean: 2048, sigma: 0.5 }, outputTokens: { dist: lognormal, mean: 128, sigma: 0.5 }, seed: 7 }
      slo: { ttft: 1s, tpot: 25ms }
simulation: { fidelity: flow, seed: 1 }
`;
}

const bench: BenchCase = {
  name: "multi-job",
  description:
    "3 training jobs + a disaggregated inference service (10,000 requests) on 16,384 H100, 3-tier 2:1 fat-tree, flow, with each alone",
  targetS: 30,
  quick: true,
  run({ quick }) {
    const servers = Number(process.env.MULTI_JOB_SERVERS) || (quick ? 64 : 2048);
    const r = runJobs(parseScenario(scenarioText(servers), "<multi-job>"));
    const extra: Record<string, number> = { accelerators: r.fabric.accelerators, jobs: r.jobs.length };
    for (const j of r.jobs) extra[`${j.name}Slowdown`] = j.slowdown;
    return { simulatedS: r.makespanS, extra };
  },
};

export default bench;
