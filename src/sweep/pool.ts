/**
 * The local executor: a piscina pool of worker threads, one per core by default. Each thread keeps its own
 * fabric cache, so tasks are handed out in the sweep's order (neighbours share a cluster design).
 */
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import type { Executor, PointTask } from "./run-sweep.js";

/** The worker module beside this one: `.ts` when running from source, `.js` when built. */
function workerFile(): string {
  const ext = import.meta.url.endsWith(".ts") ? "ts" : "js";
  return new URL(`./pool-worker.${ext}`, import.meta.url).href;
}

export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

export function poolExecutor(threads = defaultThreads()): Executor {
  return async (tasks, onOutcome) => {
    if (tasks.length === 0) return;
    const pool = new Piscina({
      filename: workerFile(),
      minThreads: Math.min(threads, tasks.length),
      maxThreads: Math.min(threads, tasks.length),
    });
    // Writes to the store happen one at a time, in completion order.
    let writes: Promise<void> = Promise.resolve();
    const strip = ({ scenario: _s, ...t }: PointTask) => t;
    try {
      await Promise.all(
        tasks.map((t) =>
          pool.run(strip(t)).then((o) => {
            writes = writes.then(() => onOutcome(o));
            return writes;
          }),
        ),
      );
    } finally {
      await pool.destroy();
    }
  };
}
