/** A worker thread of the local pool: parses a point's scenario and runs it, with this thread's fabric cache. */
import { parseScenario } from "../scenario/load.js";
import { makePointRunner, type PointOutcome } from "./execute.js";

const runPoint = makePointRunner();

export default async function runPoolTask(task: {
  hash: string;
  doc: Record<string, unknown>;
  file?: string;
}): Promise<PointOutcome> {
  return runPoint(parseScenario(JSON.stringify(task.doc), task.file), task.hash);
}
