/**
 * The tuners' points: a candidate design is a scenario document derived from the one as written, run
 * through the sweep's executor (worker pool or inline) and kept in the results store, so a second tune
 * of the same job reuses every point it already ran.
 */
import { parseDocument } from "yaml";
import { positionedError } from "../errors.js";
import { parseScenario } from "../scenario/load.js";
import { scenarioError } from "../scenario/source-map.js";
import type { Scenario } from "../scenario/types.js";
import type { PointRow, Store } from "../store/store.js";
import type { PointOutcome } from "../sweep/execute.js";
import type { Executor, PointTask } from "../sweep/run-sweep.js";
import { pointWriter } from "../sweep/writer.js";
import { weftVersion } from "../version.js";

export interface PointsOptions {
  store: Store;
  executor: Executor;
  onProgress?: (done: number, total: number, label?: string) => void;
}

/** One candidate: its label (stored as the point's input) and the task that runs it. */
export interface PointJob {
  label: string;
  task: PointTask;
}

/**
 * The scenario a tuner searches around: `file` names it in messages (and anchors its relative paths),
 * `doc` is its document as written (plain data) that each candidate's document is derived from.
 */
export interface Written {
  file: string;
  scenario: Scenario;
  doc: Record<string, unknown>;
}

/**
 * Parses the scenario's text for a tuner. A tuner varies one workload's layout, so a `jobs:` scenario is
 * refused with what to do instead: a job's mapping under `workload:` is the same workload on its own.
 */
export function writtenScenario(file: string, text: string): Written {
  const scenario = parseScenario(text, file);
  if (scenario.jobs) {
    throw scenarioError(
      scenario,
      "jobs",
      `weft tune needs a single workload: (training or inference), and this scenario has jobs: (${scenario.jobs.length}); ` +
        "to tune one job, copy its training: or inference: mapping under workload: in a scenario of its own " +
        "whose cluster is that job's nodes (docs/scenarios.md, jobs)",
    );
  }
  const kind = scenario.workload.kind;
  if (kind !== "training" && kind !== "inference") {
    throw positionedError(
      { file },
      `weft tune needs a training or an inference workload; this scenario's is ${kind}`,
    );
  }
  return { file, scenario, doc: parseDocument(text).toJS() as Record<string, unknown> };
}

/** Runs jobs the store does not hold yet; returns every job's stored row. */
export async function evaluate(
  jobs: PointJob[],
  o: PointsOptions,
  progress: { done: number; total: number },
  input: string,
): Promise<Map<string, PointRow>> {
  const byHash = new Map(jobs.map((j) => [j.task.hash, j]));
  const known = await o.store.knownHashes([...byHash.keys()]);
  const todo = [...byHash.values()].filter((j) => !known.has(j.task.hash));
  progress.done += byHash.size - todo.length;
  o.onProgress?.(progress.done, progress.total);
  const writer = pointWriter(o.store);
  await o.executor(
    todo.map((j) => j.task),
    async (out: PointOutcome) => {
      const j = byHash.get(out.hash);
      await writer.add({
        hash: out.hash,
        name: out.name,
        kind: out.kind,
        fidelity: out.fidelity,
        status: out.status,
        ...(out.reason !== undefined ? { reason: out.reason } : {}),
        inputs: j ? { [input]: j.label } : {},
        metrics: out.metrics,
        ...(out.results !== undefined ? { results: out.results } : {}),
        wallS: out.wallS,
        weftVersion: weftVersion(),
      });
      progress.done++;
      o.onProgress?.(progress.done, progress.total, j?.label);
    },
  );
  await writer.flush();
  const rows = new Map<string, PointRow>();
  for (const hash of byHash.keys()) {
    const row = await o.store.getPoint(hash);
    if (row) rows.set(hash, row);
  }
  return rows;
}
