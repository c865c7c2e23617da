/**
 * multi-job-spray: multi-job's shared cluster with the fabric sprayed (`transport.loadBalancing: spray`),
 * flow fidelity. Every flow of every job then crosses every equal-cost path, so the shared network's work per
 * flow start and end grows with the paths (hundreds of links per flow), where ECMP's is a path's handful.
 * No target: kept in sight against multi-job. Default: 512 servers (4,096 accelerators); quick: 64 servers;
 * `MULTI_JOB_SERVERS` sets another size.
 */
import { runJobs } from "../../src/jobs/run-jobs.js";
import { parseScenario } from "../../src/scenario/load.js";
import type { BenchCase } from "../case.js";
import { scenarioText } from "./multi-job.bench.js";

const bench: BenchCase = {
  name: "multi-job-spray",
  description: "multi-job's 3 trainings + inference service, sprayed fabric, flow fidelity (512 servers)",
  quick: true,
  run({ quick }) {
    const servers = Number(process.env.MULTI_JOB_SERVERS) || (quick ? 64 : 512);
    const r = runJobs(parseScenario(scenarioText(servers, "spray"), "<multi-job-spray>"));
    const extra: Record<string, number> = { accelerators: r.fabric.accelerators, jobs: r.jobs.length };
    for (const j of r.jobs) extra[`${j.name}Slowdown`] = j.slowdown;
    return { simulatedS: r.makespanS, extra };
  },
};

export default bench;
