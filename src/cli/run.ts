/** `weft run FILE`: load, simulate, print a human report or the JSON of the contract. */

import { estimateRun } from "../estimate/work.js";
import { formatResults } from "../report/format.js";
import { writeFileAtomic } from "../report/write.js";
import { run } from "../run.js";
import { loadScenario } from "../scenario/load.js";
import type { Fidelity, Scenario } from "../scenario/types.js";
import { checkOutputs } from "./outputs.js";
import { makePacketProgress } from "./packet-progress.js";
import { makeProgress } from "./progress.js";

export interface RunFlags {
  fidelity?: Fidelity;
  json?: boolean;
  out?: string;
  svg?: string;
  requests?: string;
  trace?: string;
  force?: boolean;
}

export async function runCommand(file: string, flags: RunFlags): Promise<void> {
  await executeScenario(loadScenario(file), flags);
}

export async function executeScenario(scenario: Scenario, flags: RunFlags): Promise<void> {
  if (flags.fidelity) scenario.simulation.fidelity = flags.fidelity;
  checkOutputs(scenario, flags);
  const progress = makeProgress(!flags.json);
  const packet =
    scenario.simulation.fidelity === "packet" ? makePacketProgress(estimateRun(scenario).events) : undefined;
  const results = await run(scenario, {
    onProgress: progress.update,
    svgFile: flags.svg,
    requestsFile: flags.requests,
    traceFile: flags.trace,
    force: flags.force,
    ...(packet ? { onPacketTick: packet.onTick } : {}),
  }).finally(() => {
    progress.stop();
    packet?.stop();
  });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  if (flags.out) writeFileAtomic(flags.out, json);
  process.stdout.write(flags.json ? json : `${formatResults(results)}\n`);
}
