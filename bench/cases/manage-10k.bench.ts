/**
 * manage-10k: 10,000 jobs (a seeded synthetic trace: Poisson arrivals every 0.15 s on average, TP 4 or 8,
 * 4 to 2,048 GPUs, 10% inference services) placed by the topology policy and run over time on build-16k's
 * 16,384-GPU rail-optimized fabric, each training job timed on its accelerators at analytical fidelity.
 * Target: under 60 s. Quick: 1,000 jobs on 2,048 GPUs.
 */
import { builtinCatalog } from "../../src/catalog/index.js";
import { manage } from "../../src/control/placement/simulate.js";
import { syntheticTrace } from "../../src/control/placement/trace.js";
import type { Scenario } from "../../src/scenario/types.js";
import { buildFabric } from "../../src/topology/build.js";
import type { Fabric } from "../../src/topology/fabric.js";
import type { BenchCase } from "../case.js";
import { superPod } from "./build-16k.bench.js";

let input: { scenario: Scenario; fabric: Fabric } | undefined;

const bench: BenchCase = {
  name: "manage-10k",
  description:
    "10,000-job trace placed (topology policy) and run over time on 16,384 GPUs, analytical job timing",
  targetS: 60,
  quick: true,
  prepare({ quick }) {
    const cluster = superPod(quick ? 256 : 2048);
    const scenario: Scenario = {
      name: "manage-10k",
      cluster,
      catalog: builtinCatalog(),
      workload: { kind: "collective", op: "all-reduce", sizes: [1], algorithm: "auto", ranks: "all" },
      simulation: { fidelity: "analytical", sharing: "max-min", seed: 1, failureDetection: 0 },
      failures: [],
    };
    input = { scenario, fabric: buildFabric(cluster) };
  },
  run({ quick }) {
    if (!input) throw new Error("prepare first");
    const accelerators = input.fabric.accelerators.count;
    const trace = syntheticTrace({
      jobs: quick ? 1000 : 10_000,
      accelerators,
      meanGapS: quick ? 1 : 0.15,
      seed: 3,
    });
    const r = manage({ ...input, trace, policy: "topology" });
    return {
      events: 2 * trace.jobs.length,
      simulatedS: r.makespanS,
      extra: {
        jobs: r.jobs.length,
        accelerators,
        utilization: r.utilization.mean,
        queueP99S: r.queueDelayS.p99,
        meanSlowdown: r.meanSlowdown,
      },
    };
  },
};

export default bench;
