/**
 * One run in a worker thread: the scenario is parsed again where its uploads are, run through the one core,
 * and its progress posted on the port it was given. The pool terminates the thread at the time limit.
 */
import type { MessagePort } from "node:worker_threads";
import type { Results } from "../report/results.js";
import { run } from "../run.js";
import { parseScenario } from "../scenario/load.js";

export interface RunTask {
  text: string;
  /** Path the scenario is parsed at (its uploads are beside it). */
  file: string;
  port: MessagePort;
}

/** Posted once when the thread begins the run: the time limit counts from here, not from the queue. */
export const STARTED = "started";

export interface ProgressMessage {
  done: number;
  total: number;
  label?: string;
}

/** Progress is posted at most this often (the bar needs no more). */
const PROGRESS_EVERY_MS = 100;

export default async function runTask({ text, file, port }: RunTask): Promise<Results> {
  let last = 0;
  port.postMessage(STARTED);
  try {
    return await run(parseScenario(text, file), {
      onProgress: (done, total, label) => {
        const now = Date.now();
        if (now - last < PROGRESS_EVERY_MS && done < total) return;
        last = now;
        port.postMessage({
          done,
          total,
          ...(label !== undefined ? { label } : {}),
        } satisfies ProgressMessage);
      },
    });
  } finally {
    port.close();
  }
}
