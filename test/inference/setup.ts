// Builds everything runInference needs from scenario text: the loader, the fabric, routes, engine, and
// the collective algorithms on that fabric for TP and EP.
import { readFileSync } from "node:fs";
import { setupNetwork } from "../../src/run.js";
import { parseScenario } from "../../src/scenario/load.js";
import type { InferenceWorkload, Scenario } from "../../src/scenario/types.js";
import { planPools } from "../../src/workload/inference/pools.js";
import { type InferenceDeps, simulateInference } from "../../src/workload/inference/run.js";
import { makeStepCost, type StepCost } from "../../src/workload/inference/step-cost.js";
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

/**
 * Serves an example at analytical fidelity with `count` requests, after `edits` ([from, to] replacements,
 * a string or a global regular expression) of its text.
 */
export function serveExample(file: string, count: number, edits: [string | RegExp, string][] = []) {
  let text = readFileSync(file, "utf8")
    .replace(/(requests: \{[^}]*?)count: \d+/, `$1count: ${count}`)
    .replace(/fidelity: flow/, "fidelity: analytical");
  for (const [from, to] of edits) text = text.replace(from, to);
  const s = load(text);
  return simulateInference(s, depsFor(s)).results;
}

/** The step cost of a scenario's pool `index` (0: prefill or co-located, 1: decode), on its own fabric. */
export function stepCostOf(scenario: Scenario, index: number): StepCost {
  const w = scenario.workload as InferenceWorkload;
  return makeStepCost(w.model, planPools(scenario, w)[index], depsFor(scenario).comm, w.precision);
}
