/** `weft plan FILE`: the built fabric's bill of materials. */

import { formatPlanTable, planSummary } from "../report/plan.js";
import { buildScenarioFabric } from "../topology/build.js";
import { readScenario } from "./read-scenario.js";

export async function planCommand(file: string, flags: { json?: boolean }): Promise<void> {
  const scenario = readScenario(file);
  const fabric = buildScenarioFabric(scenario);
  const summary = planSummary(fabric, scenario);
  process.stdout.write(
    flags.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatPlanTable(summary)}\n`,
  );
}
