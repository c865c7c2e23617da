// Builds everything runInference needs from scenario text: the loader, the fabric, routes, engine, and
// the collective algorithms on that fabric for TP and EP.
import { setupNetwork } from "../../src/run.js";
import { parseScenario } from "../../src/scenario/load.js";
import type { Scenario } from "../../src/scenario/types.js";
import type { InferenceDeps } from "../../src/workload/inference/run.js";
import { collectiveCommModel } from "../../src/workload/training/comm.js";

export function depsFor(scenario: Scenario): InferenceDeps {
  const net = setupNetwork(scenario);
  return {
    fabric: net.fabric,
    router: net.router,
    engine: net.engine,
    comm: collectiveCommModel(net.collectives),
  };
}

export function load(text: string, file = "<test>"): Scenario {
  return parseScenario(text, file);
}
