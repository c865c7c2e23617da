/** `weft run FILE`: load, simulate, print a human report or the JSON of the contract. */

import { MessageChannel } from "node:worker_threads";
import { WeftError } from "../errors.js";
import { estimateRun } from "../estimate/work.js";
import { writeFileAtomic } from "../files/write.js";
import { formatResults } from "../report/format.js";
import { formatNcclTests } from "../report/nccl-tests.js";
import type { Results } from "../results/types.js";
import { run } from "../run.js";
import type { Fidelity, Scenario, Sharing, Workload } from "../scenario/types.js";
import { checkOutputs } from "./outputs.js";
import { makePacketProgress } from "./packet-progress.js";
import type { PacketOutcome, PacketProgressMessage, PacketTask } from "./packet-worker.js";
import { makeProgress } from "./progress.js";
import { readScenario } from "./read-scenario.js";

export interface RunFlags {
  fidelity?: Fidelity;
  sharing?: Sharing;
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
  if (flags.sharing) scenario.simulation.sharing = flags.sharing;
  checkOutputs(scenario, flags);
  const progress = makeProgress(!flags.json);
  const options = {
    svgFile: flags.svg,
    requestsFile: flags.requests,
    traceFile: flags.trace,
    whatIf: flags.whatIf !== false,
    force: flags.force,
  };
  const results = (
    scenario.simulation.fidelity === "packet"
      ? runPacketInWorker(scenario, options, progress.update)
      : run(scenario, { ...options, onProgress: progress.update })
  ).finally(() => progress.stop());
  await results.then((r) => writeResults(r, flags));
}

function writeResults(results: Results, flags: RunFlags): void {
  const json = `${JSON.stringify(results, null, 2)}\n`;
  if ("partial" in results && results.partial)
    process.stderr.write("weft: stopped; writing what finished, marked partial\n");
  if (flags.out) writeFileAtomic(flags.out, json);
  if (flags.json) process.stdout.write(json);
  else if (flags.format === "nccl-tests" && results.kind === "collective")
    process.stdout.write(formatNcclTests(results));
  else process.stdout.write(`${formatResults(results)}\n`);
}

/**
 * A packet run in a worker thread (packet-worker.ts), so that Ctrl-C reaches this thread while the engine
 * runs: the first stops the engine at its next tick (a traffic run then returns what finished, marked
 * partial; other workloads end "interrupted"), a second ends the process at once.
 */
async function runPacketInWorker(
  scenario: Scenario,
  options: PacketTask["options"],
  onProgress: (done: number, total: number, label?: string) => void,
): Promise<Results> {
  const { Piscina } = await import("piscina");
  const stop = new SharedArrayBuffer(4);
  const flag = new Int32Array(stop);
  const ticks = makePacketProgress(estimateRun(scenario).events);
  const ext = import.meta.url.endsWith(".ts") ? "ts" : "js";
  // Piscina loads the worker module from source as well as built (a plain Worker cannot start a .ts file).
  const pool = new Piscina({
    filename: new URL(`./packet-worker.${ext}`, import.meta.url).href,
    maxThreads: 1,
  });
  const { port1, port2 } = new MessageChannel();
  port1.on("message", (m: PacketProgressMessage) => {
    if (m.kind === "progress") onProgress(m.done, m.total, m.label);
    else ticks.onTick(m.tick);
  });
  const onSigint = () => {
    if (Atomics.load(flag, 0) === 1) process.exit(130);
    Atomics.store(flag, 0, 1);
    process.stderr.write("\nweft: stopping at the next packet tick (Ctrl-C again to quit now)\n");
  };
  process.on("SIGINT", onSigint);
  try {
    const task: PacketTask = { scenario, options, stop, port: port2 };
    const out = (await pool.run(task, { transferList: [port2] })) as PacketOutcome;
    if (out.kind === "done") return out.results;
    // The worker's message already carries the position (file:line:col).
    const e = new WeftError(out.message, {}, out.exitCode);
    if (out.debug) e.stack = out.debug;
    throw e;
  } finally {
    process.off("SIGINT", onSigint);
    port1.close();
    ticks.stop();
    await pool.destroy();
  }
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
