/**
 * Runs: started by clients, executed in a pool of worker threads (at most `threads` at once, each stopped
 * at `timeLimitS`), at most `perClient` queued or running for one client, watched through progress events,
 * and saved in the store at every change of state so a restart loses nothing.
 */
import { randomUUID } from "node:crypto";
import { availableParallelism } from "node:os";
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import { type RunPoint, type RunStore, STOPPED } from "./run-store.js";
import { type ProgressMessage, type RunOutput, type RunTask, STARTED } from "./run-worker.js";
import { type Workspace, withoutFolder } from "./scenario-input.js";
import type { RunRecord } from "./schemas.js";

export interface RunnerOptions {
  /** Worker threads running at once. */
  threads: number;
  /** Seconds a run may take before it is stopped. */
  timeLimitS: number;
  /** Runs one client may have queued or running at once. */
  perClient: number;
}

export const DEFAULT_RUNNER: RunnerOptions = {
  threads: Math.max(1, Math.min(4, availableParallelism() - 1)),
  timeLimitS: 300,
  perClient: 4,
};

export type RunEvent = { type: "progress"; progress: ProgressMessage } | { type: "end"; run: RunRecord };

export interface Runner {
  /** Starts a run; throws TooManyRuns when the client has `perClient` in flight. */
  start(client: string, text: string, workspace: Workspace): RunRecord;
  /** A run in flight (with its progress), or from the store. */
  get(id: string): Promise<RunRecord | undefined>;
  /** The state of a run in flight (`queued`, `running`), undefined once it has ended. */
  liveState(id: string): RunRecord["state"] | undefined;
  /** Calls `listener` on every event of a run in flight; returns how to stop listening. */
  watch(id: string, listener: (e: RunEvent) => void): (() => void) | undefined;
  close(): Promise<void>;
}

export class TooManyRuns extends Error {}

interface Live {
  run: RunRecord;
  client: string;
  listeners: Set<(e: RunEvent) => void>;
}

export function makeRunner(store: RunStore, options: RunnerOptions): Runner {
  const pool = new Piscina({
    filename: workerFile(),
    maxThreads: options.threads,
    // One thread kept warm, so a run does not wait for a thread to load the core.
    minThreads: 1,
    idleTimeout: 30_000,
    execArgv: workerExecArgv(),
  });
  const live = new Map<string, Live>();
  const inFlight = (client: string) => [...live.values()].filter((l) => l.client === client).length;

  // Set when the server shuts down: the runs its workers were stopped in did not fail on their own.
  let closing = false;
  const emit = (l: Live, e: RunEvent) => {
    for (const f of l.listeners) f(e);
  };

  async function execute(l: Live, file: string, workspace: Workspace): Promise<void> {
    const { port1, port2 } = new MessageChannel();
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let started = Date.now();
    port1.on("message", (p: ProgressMessage | typeof STARTED) => {
      if (p === STARTED) {
        started = Date.now();
        timer = setTimeout(() => abort.abort(), options.timeLimitS * 1000);
        l.run.state = "running";
        return;
      }
      l.run.progress = p;
      emit(l, { type: "progress", progress: p });
    });
    try {
      const task: RunTask = { text: l.run.scenario, file, port: port2 };
      const { results, point } = (await pool.run(task, {
        transferList: [port2],
        signal: abort.signal,
      })) as RunOutput;
      finish(l, { state: "done", results, wallS: results.wallS ?? (Date.now() - started) / 1000 }, point);
    } catch (e) {
      const error = abort.signal.aborted
        ? `the run was stopped at the time limit of ${options.timeLimitS} s; make the scenario smaller (fewer sizes, lower fidelity) or ask for a longer --time-limit`
        : closing
          ? STOPPED
          : withoutFolder((e as Error).message, workspace.dir);
      finish(l, { state: "failed", error, wallS: (Date.now() - started) / 1000 });
    } finally {
      clearTimeout(timer);
      port1.close();
      workspace.dispose();
    }
  }

  // Runs and saves in flight: a close waits for both, so the store is never closed under a statement.
  const running = new Set<Promise<void>>();
  const saving = new Set<Promise<void>>();
  function finish(l: Live, change: Partial<RunRecord>, point?: RunPoint): void {
    Object.assign(l.run, change, { finishedAt: new Date().toISOString(), progress: null });
    const saved = store
      .save(l.run, point)
      .catch((e: Error) => process.emitWarning(`run ${l.run.id} not saved in the store: ${e.message}`))
      .finally(() => {
        live.delete(l.run.id);
        emit(l, { type: "end", run: l.run });
        saving.delete(saved);
      });
    saving.add(saved);
  }

  return {
    start(client, text, workspace) {
      if (inFlight(client) >= options.perClient) {
        workspace.dispose();
        throw new TooManyRuns(
          `this client already has ${options.perClient} runs queued or running; wait for one to finish`,
        );
      }
      const run: RunRecord = {
        id: randomUUID(),
        name: workspace.scenario.name,
        // A jobs: scenario's workload is its first job's; the run itself is a jobs run.
        kind: workspace.scenario.jobs ? "jobs" : workspace.scenario.workload.kind,
        state: "queued",
        createdAt: new Date().toISOString(),
        finishedAt: null,
        wallS: null,
        error: null,
        scenario: text,
        progress: null,
        results: null,
      };
      const l: Live = { run, client, listeners: new Set() };
      live.set(run.id, l);
      const started = store.save(run).then(
        () => execute(l, workspace.file, workspace),
        (e: Error) => {
          workspace.dispose();
          finish(l, { state: "failed", error: `the run could not be stored: ${e.message}` });
        },
      );
      running.add(started);
      void started.finally(() => running.delete(started));
      return run;
    },
    async get(id) {
      return live.get(id)?.run ?? (await store.get(id));
    },
    watch(id, listener) {
      const l = live.get(id);
      if (!l) return undefined;
      l.listeners.add(listener);
      return () => l.listeners.delete(listener);
    },
    liveState(id) {
      return live.get(id)?.run.state;
    },
    async close() {
      closing = true;
      await pool.destroy();
      await Promise.allSettled([...running]);
      await Promise.allSettled([...saving]);
    },
  };
}

/** The worker beside this file: `.ts` when running from source (then loaded through tsx), `.js` when built. */
function workerFile(): string {
  const ext = import.meta.url.endsWith(".ts") ? "ts" : "js";
  return new URL(`./run-worker.${ext}`, import.meta.url).href;
}

function workerExecArgv(): string[] {
  return import.meta.url.endsWith(".ts") ? ["--import", "tsx"] : [];
}
