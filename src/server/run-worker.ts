/**
 * One run in a worker thread: the scenario is parsed again where its uploads are, run through the one core,
 * and its progress posted on the port it was given. The pool terminates the thread at the time limit.
 */
import type { MessagePort } from "node:worker_threads";
import { planSummary } from "../report/plan.js";
import type { Results } from "../results/types.js";
import { run } from "../run.js";
import { parseScenario } from "../scenario/load.js";
import { scenarioHash } from "../store/hash.js";
import { pointMetrics } from "../store/metrics.js";
import { buildScenarioFabric } from "../topology/build.js";
import type { RunPoint } from "./run-store.js";

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

/** The results, and the design point they make in the results store. */
export interface RunOutput {
  results: Results;
  point: RunPoint;
}

export default async function runTask({ text, file, port }: RunTask): Promise<RunOutput> {
  let last = 0;
  port.postMessage(STARTED);
  try {
    const scenario = parseScenario(text, file);
    const results = await run(scenario, {
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
    const plan = planSummary(buildScenarioFabric(scenario), scenario);
    return {
      results,
      point: {
        hash: scenarioHash(scenario),
        fidelity: scenario.simulation.fidelity,
        metrics: pointMetrics(results, plan, scenario),
      },
    };
  } finally {
    port.close();
  }
}
