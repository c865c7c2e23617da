/** `weft plan FILE`: the built fabric's bill of materials; with --names, every device and its ports. */

import { formatPlanTable, planSummary } from "../report/plan.js";
import { buildScenarioFabric } from "../topology/build.js";
import { deviceNames, formatDeviceNames } from "../topology/device-names.js";
import { readScenario } from "./read-scenario.js";

export async function planCommand(file: string, flags: { json?: boolean; names?: boolean }): Promise<void> {
  const scenario = readScenario(file);
  const fabric = buildScenarioFabric(scenario);
  const summary = planSummary(fabric, scenario);
  if (flags.names) {
    const devices = deviceNames(fabric, scenario.cluster.scaleOut.switch);
    process.stdout.write(
      flags.json
        ? `${JSON.stringify({ ...summary, devices }, null, 2)}\n`
        : `${formatPlanTable(summary)}\n\n${formatDeviceNames(devices)}\n`,
    );
    return;
  }
  process.stdout.write(
    flags.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatPlanTable(summary)}\n`,
  );
}
