/** `weft run FILE`: load, simulate, print a human report or the JSON of the contract. */

import { WeftError } from "../errors.js";
import { estimateRun } from "../estimate/work.js";
import { writeFileAtomic } from "../files/write.js";
import { formatResults } from "../report/format.js";
import { formatNcclTests } from "../report/nccl-tests.js";
import { run } from "../run.js";
import type { Fidelity, Scenario, Workload } from "../scenario/types.js";
import { checkOutputs } from "./outputs.js";
import { makePacketProgress } from "./packet-progress.js";
import { makeProgress } from "./progress.js";
import { readScenario } from "./read-scenario.js";

export interface RunFlags {
  fidelity?: Fidelity;
  json?: boolean;
  out?: string;
  svg?: string;
  requests?: string;
  trace?: string;
  /** False with `--no-what-if`. */
  whatIf?: boolean;
  format?: "weft" | "nccl-tests";
  force?: boolean;
}

/** The output flags that apply to one kind of workload only, and that kind. */
const WORKLOAD_FLAGS: { flag: string; key: keyof RunFlags; kind: Workload["kind"] }[] = [
  { flag: "--svg", key: "svg", kind: "training" },
  { flag: "--requests", key: "requests", kind: "inference" },
  { flag: "--trace", key: "trace", kind: "traffic" },
];

export async function runCommand(file: string, flags: RunFlags): Promise<void> {
  await executeScenario(readScenario(file), flags);
}

export async function executeScenario(scenario: Scenario, flags: RunFlags): Promise<void> {
  checkFlagsApply(scenario, flags);
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
    whatIf: flags.whatIf !== false,
    force: flags.force,
    ...(packet ? { onPacketTick: packet.onTick } : {}),
  }).finally(() => {
    progress.stop();
    packet?.stop();
  });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  if (flags.out) writeFileAtomic(flags.out, json);
  if (flags.json) process.stdout.write(json);
  else if (flags.format === "nccl-tests" && results.kind === "collective")
    process.stdout.write(formatNcclTests(results));
  else process.stdout.write(`${formatResults(results)}\n`);
}

/** An output flag for another kind of workload is a usage error, never silently ignored. */
export function checkFlagsApply(scenario: Scenario, flags: RunFlags): void {
  const kind = scenario.workload.kind;
  for (const f of WORKLOAD_FLAGS) {
    if (flags[f.key] !== undefined && kind !== f.kind)
      throw new WeftError(`${f.flag}: applies to ${f.kind} workloads; this scenario's workload is ${kind}`);
  }
  if (flags.format === "nccl-tests" && kind !== "collective")
    throw new WeftError(
      `--format nccl-tests: applies to collective workloads; this scenario's workload is ${kind}`,
    );
  if (flags.whatIf === false && kind !== "training")
    throw new WeftError(`--no-what-if: applies to training workloads; this scenario's workload is ${kind}`);
}
