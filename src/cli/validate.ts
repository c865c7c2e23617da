/** `weft validate FILE [--print]`: check a scenario; print it with every default filled in. */
import { type Document, parseDocument, stringify } from "yaml";
import type { Scenario } from "../scenario/types.js";
import { readScenario, STDIN_NAME } from "./read-scenario.js";

export async function validateCommand(
  file: string,
  flags: { print?: boolean; json?: boolean },
): Promise<void> {
  const scenario = readScenario(file);
  const warnings = [...(scenario.warnings ?? []), ...(await checkWorkload(scenario))];
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  if (flags.print || flags.json) {
    // A document that loads back as the same scenario (`weft validate FILE --print | weft run -`); its
    // module loads only here, so a plain check starts faster.
    const document = (await import("../scenario/document.js")).scenarioDocument(scenario);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      return;
    }
    const yaml = parseDocument(stringify(document));
    await commentParameters(yaml, scenario);
    process.stdout.write(yaml.toString());
    return;
  }
  process.stdout.write(`${file === "-" ? STDIN_NAME : file}: ok (${scenario.name})\n`);
}

/**
 * The parameter counts the model implies, as a comment above it: a custom model with a gated MLP left out
 * or a wrong expert size shows at once, and the printed document still loads back unchanged.
 */
async function commentParameters(yaml: Document, scenario: Scenario): Promise<void> {
  const w = scenario.workload;
  if (w.kind !== "training" && w.kind !== "inference") return;
  const node = yaml.getIn(["workload", w.kind, "model"], true) as
    | { commentBefore?: string | null }
    | undefined;
  if (!node || typeof node !== "object") return;
  const { parameterBreakdown } = await import("../model/param-summary.js");
  const lines = Object.entries(parameterBreakdown(w.model)).map(([k, v]) => ` ${k}: ${v}`);
  node.commentBefore = [" parameters (derived):", ...lines].join("\n");
}

/**
 * The checks a run makes before it simulates — a training layout against its model, group and memory; the
 * serving pools' shapes, placement and weights; a manager trace's jobs against the cluster — so what `run`
 * or `manage` would refuse, `validate` refuses too. Their
 * modules load only for those workloads, so checking a collective stays quick.
 */
async function checkWorkload(scenario: Scenario): Promise<string[]> {
  if (scenario.manager) {
    const [{ checkTrace }, { buildScenarioFabric }] = await Promise.all([
      import("../control/placement/simulate.js"),
      import("../topology/build.js"),
    ]);
    checkTrace(scenario, buildScenarioFabric(scenario), scenario.manager.trace);
  }
  // A jobs: scenario's workload is its first job's, on its own accelerators: run-jobs checks each there.
  if (scenario.jobs) return [];
  const w = scenario.workload;
  if (w.kind === "training") {
    const { trainingPlan } = await import("../workload/training/plan.js");
    return trainingPlan(scenario).warnings;
  }
  if (w.kind === "inference") {
    const { planPools } = await import("../workload/inference/pools.js");
    planPools(scenario, w);
  }
  return [];
}
