/**
 * The one core every shell (CLI, library, server, sweep workers) calls: scenario → fabric → routes →
 * workload on an engine → Results. Plain data in, plain data out.
 */
import { collectiveContext, collectiveTime, runCollectiveWorkload } from "./collectives/run.js";
import type { CollectiveContext } from "./collectives/types.js";
import { applyStaticFailures, resolveFailures } from "./control/failures.js";
import type { Results } from "./report/results.js";
import { writeFileAtomic } from "./report/write.js";
import { makeRouter } from "./routing/index.js";
import type { Router } from "./routing/types.js";
import type { Fidelity, Scenario } from "./scenario/types.js";
import { engineFor } from "./sim/engines/index.js";
import { runPacketEngine } from "./sim/engines/packet/engine.js";
import type { FlowEngine } from "./sim/engines/types.js";
import { buildScenarioFabric } from "./topology/build.js";
import type { Fabric } from "./topology/fabric.js";
import { runInference } from "./workload/inference/run.js";
import { packetOptionsFor, runTraffic } from "./workload/traffic/run.js";
import { collectiveCommModel, fabricCommModels, nonBlockingScenario } from "./workload/training/comm.js";
import { runTraining } from "./workload/training/step.js";
import { trainingTimelineSvg } from "./workload/training/svg.js";

export interface RunOptions {
  /** Overrides the scenario's `simulation.fidelity`. */
  fidelity?: Fidelity;
  /** Called as work advances (sizes of a sweep, steps of a simulation). */
  onProgress?: (done: number, total: number, label?: string) => void;
  /** Training: write the step timeline as SVG here. */
  svgFile?: string;
  /** Inference: write per-request results as CSV here. */
  requestsFile?: string;
  /** Traffic: write a per-queue time series as CSV here (packet fidelity). */
  traceFile?: string;
  /**
   * The built fabric of a scenario (default: build it). Sweeps pass a cache, so points that differ only
   * in the workload share one fabric. The fabric must not be shared where failures degrade links.
   */
  fabricFor?: (scenario: Scenario) => Fabric;
}

/** Everything a workload needs from the network side, built once per run. */
export interface NetworkSetup {
  scenario: Scenario;
  fabric: Fabric;
  router: Router;
  engine: FlowEngine;
  fidelity: Fidelity;
  collectives: CollectiveContext;
}

export function setupNetwork(
  scenario: Scenario,
  fabric: Fabric = buildScenarioFabric(scenario),
): NetworkSetup {
  const fidelity = scenario.simulation.fidelity;
  const linkFailures = resolveFailures(fabric, scenario.failures, scenario.simulation.seed);
  // The packet engine fails links at their time; the fluid engines see failures from the start.
  const { failed, warnings } =
    fidelity === "packet" ? { failed: undefined, warnings: [] } : applyStaticFailures(fabric, linkFailures);
  if (warnings.length) scenario = { ...scenario, warnings: [...(scenario.warnings ?? []), ...warnings] };
  const router = makeRouter(fabric, {
    loadBalancing: scenario.cluster.transport.loadBalancing,
    railAware: true,
    seed: scenario.simulation.seed,
    failed,
  });
  const engine = networkEngine(scenario, fabric);
  const collectives = collectiveContext(scenario, fabric, router, engine);
  return { scenario, fabric, router, engine, fidelity, collectives };
}

/**
 * The engine that times a set of flows at the scenario's fidelity. At packet fidelity collectives and
 * training communication run packet by packet too (meant for small scales: every phase is a full packet
 * simulation).
 */
function networkEngine(scenario: Scenario, fabric: Fabric): FlowEngine {
  const fidelity = scenario.simulation.fidelity;
  if (fidelity !== "packet") return engineFor(fidelity);
  const options = packetOptionsFor(scenario, fabric);
  return (f, router, flows) => runPacketEngine(f, router, flows, options);
}

export async function run(scenario: Scenario, options: RunOptions = {}): Promise<Results> {
  if (options.fidelity)
    scenario = { ...scenario, simulation: { ...scenario.simulation, fidelity: options.fidelity } };
  const net = setupNetwork(scenario, options.fabricFor?.(scenario));
  scenario = net.scenario;
  const w = scenario.workload;
  switch (w.kind) {
    case "collective":
      return runCollectiveWorkload(scenario, net.fabric, net.collectives, options.onProgress);
    case "training": {
      // The what-if: the same step on a non-blocking fabric, computed in the same run.
      const nonBlocking = nonBlockingScenario(scenario);
      const ideal = setupNetwork(nonBlocking, options.fabricFor?.(nonBlocking));
      const models = fabricCommModels(scenario, net.collectives, ideal.collectives);
      const results = runTraining(scenario, { fabric: net.fabric, ...models });
      if (options.svgFile) writeFileAtomic(options.svgFile, trainingTimelineSvg(results));
      return results;
    }
    case "traffic":
      return runTraffic(scenario, net.fabric, net.router, scenario.simulation.fidelity, {
        traceFile: options.traceFile,
      });
    case "inference":
      return runInference(
        scenario,
        {
          fabric: net.fabric,
          router: net.router,
          engine: net.engine,
          comm: collectiveCommModel(net.collectives),
        },
        { requestsFile: options.requestsFile },
      );
  }
}

export { collectiveTime };
