/** The simplest executor: every point in this thread, one after the other (tests, tiny sweeps, --workers 1). */
import { parseScenario } from "../scenario/load.js";
import { makePointRunner } from "./execute.js";
import type { Executor } from "./run-sweep.js";

export function inlineExecutor(): Executor {
  const runPoint = makePointRunner();
  return async (tasks, onOutcome) => {
    for (const t of tasks) {
      const scenario = t.scenario ?? parseScenario(JSON.stringify(t.doc), t.file);
      await onOutcome(await runPoint(scenario, t.hash));
    }
  };
}
