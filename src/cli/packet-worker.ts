/**
 * A packet-fidelity run in a worker thread, so the main thread stays free to take Ctrl-C: the engine runs
 * synchronously, and a signal reaches JavaScript only between tasks. The main thread sets the shared stop
 * flag; the engine reads it at every progress tick and stops there, and the run returns what finished
 * (a traffic run, marked partial) or says it was interrupted. Progress goes back on `port`.
 */
import type { MessagePort } from "node:worker_threads";
import { WeftError } from "../errors.js";
import type { Results } from "../results/types.js";
import { type RunOptions, run } from "../run.js";
import type { Scenario } from "../scenario/types.js";
import type { PacketTick } from "../sim/engines/packet/params.js";

export interface PacketTask {
  scenario: Scenario;
  options: Omit<RunOptions, "onProgress" | "onPacketTick">;
  /** Int32 flag: 1 = stop at the next tick. */
  stop: SharedArrayBuffer;
  port: MessagePort;
}

export type PacketProgressMessage =
  | { kind: "progress"; done: number; total: number; label?: string }
  | { kind: "tick"; tick: PacketTick };

export type PacketOutcome =
  | { kind: "done"; results: Results }
  | { kind: "error"; message: string; exitCode: number; debug?: string };

export default async function runPacketTask(task: PacketTask): Promise<PacketOutcome> {
  const stop = new Int32Array(task.stop);
  const post = (m: PacketProgressMessage) => task.port.postMessage(m);
  try {
    const results = await run(task.scenario, {
      ...task.options,
      onProgress: (done, total, label) => post({ kind: "progress", done, total, label }),
      onPacketTick: (tick) => {
        post({ kind: "tick", tick });
        return Atomics.load(stop, 0) === 1;
      },
    });
    return { kind: "done", results };
  } catch (err) {
    const weft = err instanceof WeftError ? err : undefined;
    return {
      kind: "error",
      message: (err as Error).message,
      exitCode: weft?.exitCode ?? 1,
      ...(weft ? {} : { debug: (err as Error).stack }),
    };
  } finally {
    task.port.close();
  }
}
