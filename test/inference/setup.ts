// Builds everything runInference needs from scenario text: the loader, the fabric, routes, engine, comm.
import { parseScenario } from "../../src/scenario/load.js";
import type { Scenario } from "../../src/scenario/types.js";
import { buildScenarioFabric } from "../../src/topology/build.js";
import { makeRouter } from "../../src/routing/router.js";
import { engineFor } from "../../src/sim/engines/index.js";
import { scenarioCommModel } from "../../src/workload/training/comm.js";
import type { InferenceDeps } from "../../src/workload/inference/run.js";

export function depsFor(scenario: Scenario): InferenceDeps {
  const fabric = buildScenarioFabric(scenario);
  const router = makeRouter(fabric, {
    loadBalancing: scenario.cluster.transport.loadBalancing,
    railAware: false,
    seed: scenario.simulation.seed,
  });
  const engine = engineFor(scenario.simulation.fidelity === "analytical" ? "analytical" : "flow");
  return { fabric, router, engine, comm: scenarioCommModel(scenario) };
}

export function load(text: string, file = "<test>"): Scenario {
  return parseScenario(text, file);
}
