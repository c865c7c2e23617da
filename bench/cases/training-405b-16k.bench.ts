/**
 * training-405b-16k: one training step of Llama 3 405B on 16,384 H100 (TP 8 × PP 16 × DP 128, 4 interleaved
 * chunks, 3-tier fat-tree of QM9700), from examples/training-llama3-405b-16k-h100.yaml: fabric built,
 * every collective of the step timed by src/collectives over it, pipeline schedule simulated. Two cases:
 * the flow engine (`training-405b-16k-flow`, target 30 s) and the closed-form analytical fidelity
 * (`training-405b-16k-analytical`, target 200 ms, default export of training-405b-16k-analytical.bench.ts).
 * Quick variants: the same job shape at TP 8 × PP 16 × DP 4 (512 H100).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { setupNetwork } from "../../src/run.js";
import { loadScenario } from "../../src/scenario/load.js";
import type { Fidelity } from "../../src/scenario/types.js";
import { fabricCommModels, runTraining } from "../../src/workload/training/index.js";
import type { BenchCase } from "../case.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const EXAMPLE = path.join(here, "..", "..", "examples", "training-llama3-405b-16k-h100.yaml");

function trainingCase(fidelity: Extract<Fidelity, "flow" | "analytical">): BenchCase {
  return {
    name: `training-405b-16k-${fidelity}`,
    description: `one Llama 3 405B step on 16,384 H100 (TP8 PP16 DP128), 3-tier fat-tree, ${fidelity} fidelity`,
    targetS: fidelity === "flow" ? 30 : 0.2,
    quick: true,
    run({ quick }) {
      const scenario = loadScenario(EXAMPLE);
      scenario.simulation.fidelity = fidelity;
      if (quick) {
        // 64 nodes: dp 4, the global batch shrunk to keep 16 micro-batches per pipeline
        const g = scenario.cluster.groups[0];
        g.nodes = 64;
        const w = scenario.workload;
        if (w.kind === "training") {
          w.parallelism.dp = 4;
          w.globalBatch = 64;
        }
      }
      const net = setupNetwork(scenario);
      const r = runTraining(scenario, { fabric: net.fabric, ...fabricCommModels(scenario, net.collectives) });
      return {
        simulatedS: r.stepTimeS,
        extra: {
          accelerators: r.fabric.accelerators,
          tflopsPerAccelerator: r.tflopsPerAccelerator,
          exposedCommS: r.breakdown.exposedCommS,
          bubbleS: r.breakdown.bubbleS,
        },
      };
    },
  };
}

export const flowCase = trainingCase("flow");
export const analyticalCase = trainingCase("analytical");
// The runner takes one case per file: this file runs the flow case, training-405b-16k-analytical the other.
export default flowCase;
