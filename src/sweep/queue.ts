/**
 * The distributed executor: points go to a BullMQ queue on Redis in small batches, `weft worker` processes
 * anywhere pull and run them, and the sweep collects their outcomes into its store.
 *
 * Batches: a job carries a few cheap points (analytical ones) so the queue's own work per job (several
 * Redis round trips on each side, an event) is paid once for all of them; points that take long (flow or
 * packet fidelity) go one per job, so workers share them evenly and a killed worker's retry is short.
 *
 * Exactly once: a job's id is the hash of its points, so a batch enqueued twice is one job; a worker that
 * dies mid-batch stops renewing its lock, and BullMQ's stalled-job check puts the batch back for another
 * worker; the sweep stores an outcome under its point's hash once and removes a job only once the store
 * holds its outcomes (in batches, after the writer's flush), so outcomes finished while no sweep was
 * listening, or taken by a sweep killed before its write, are collected by the next run.
 */
import { type ConnectionOptions, type Job, Queue, QueueEvents } from "bullmq";
import { sha256 } from "../store/hash.js";
import type { PointOutcome } from "./execute.js";
import type { Executor, PointTask } from "./run-sweep.js";
import type { SweepSpec } from "./spec.js";

/** Named for the job format (batches of points): workers of another format never see these jobs. */
export const QUEUE_NAME = "weft-point-batches";

export interface QueuePoint {
  hash: string;
  doc: Record<string, unknown>;
  file?: string;
}

export interface QueueJobData {
  points: QueuePoint[];
}

export function redisConnection(url: string): ConnectionOptions {
  return { url, maxRetriesPerRequest: null } as ConnectionOptions;
}

/** Points per job: cheap analytical points travel in batches of up to this many. */
const MAX_BATCH = 16;

/**
 * Batches of the tasks: analytical points in runs of up to MAX_BATCH, at least 32 jobs where there are
 * enough points (so a few workers still share them evenly and finish together); any other fidelity one
 * point per job.
 */
export function batchTasks(tasks: PointTask[]): PointTask[][] {
  const cheap = tasks.filter(isAnalytical);
  const size = Math.max(1, Math.min(MAX_BATCH, Math.floor(cheap.length / 32)));
  const batches: PointTask[][] = [];
  for (let i = 0; i < cheap.length; i += size) batches.push(cheap.slice(i, i + size));
  for (const t of tasks) if (!isAnalytical(t)) batches.push([t]);
  return batches;
}

function isAnalytical(t: PointTask): boolean {
  const sim = t.doc.simulation as { fidelity?: string } | undefined;
  return sim?.fidelity === "analytical";
}

/** A batch's job id: its points' hashes, hashed (one point: its own hash, as a point's id). */
function jobId(batch: PointTask[]): string {
  return batch.length === 1 ? batch[0].hash : `batch-${sha256(batch.map((t) => t.hash).join(","))}`;
}

/** How often the sweep looks for outcomes it may have missed (events are a fast path, not the record). */
const RECONCILE_MS = 1000;
/** How often finished jobs whose outcomes are stored leave the queue (one store flush per batch). */
const RELEASE_MS = 250;

export function queueExecutor(url: string, _options: { spec?: SweepSpec } = {}): Executor {
  return async (tasks, onOutcome, durable = async () => {}) => {
    if (tasks.length === 0) return;
    const connection = redisConnection(url);
    const queue = new Queue<QueueJobData, PointOutcome[]>(QUEUE_NAME, { connection });
    const events = new QueueEvents(QUEUE_NAME, { connection });
    const pending = new Set(tasks.map((t) => t.hash));
    // Jobs whose outcomes the sweep has taken: removed from the queue once the store holds them.
    let taken: string[] = [];
    let chain: Promise<void> = Promise.resolve();
    let failure: unknown;
    let wake: () => void = () => {};
    const collect = (job: string, outcomes: PointOutcome[] | undefined) => {
      const fresh = (outcomes ?? []).filter((o) => pending.has(o.hash));
      if (fresh.length === 0) return;
      for (const o of fresh) pending.delete(o.hash);
      chain = chain
        .then(async () => {
          for (const o of fresh) await onOutcome(o);
        })
        .then(() => {
          taken.push(job);
        })
        .catch((e) => {
          failure ??= e;
        })
        .finally(() => wake());
    };
    /** The store holds every outcome taken so far: their jobs may leave the queue, in one batch. */
    const release = async () => {
      if (taken.length === 0) return;
      const done = taken;
      taken = [];
      await durable();
      await Promise.all(done.map((h) => queue.remove(h)));
    };
    events.on("completed", ({ jobId, returnvalue }) => {
      collect(
        jobId,
        typeof returnvalue === "string"
          ? JSON.parse(returnvalue)
          : (returnvalue as unknown as PointOutcome[]),
      );
    });
    try {
      await events.waitUntilReady();
      // Outcomes finished before this sweep listened (a rerun after a kill) are collected at once.
      await reconcile(queue, collect);
      await queue.addBulk(
        batchTasks(tasks).map((batch) => ({
          name: "points",
          data: {
            points: batch.map((t) => ({
              hash: t.hash,
              doc: t.doc,
              ...(t.file !== undefined ? { file: t.file } : {}),
            })),
          },
          opts: { jobId: jobId(batch), removeOnComplete: false, removeOnFail: false, attempts: 3 },
        })),
      );
      let released = performance.now();
      while (pending.size > 0) {
        if (failure) throw failure;
        // Events are the fast path; a quiet spell (no outcome for RECONCILE_MS) asks the queue itself.
        const quiet = await new Promise<boolean>((resolve) => {
          wake = () => resolve(false);
          setTimeout(() => resolve(true), RECONCILE_MS);
        });
        if (quiet) await reconcile(queue, collect);
        if (quiet || performance.now() - released >= RELEASE_MS) {
          released = performance.now();
          await release();
        }
      }
      await chain;
      if (failure) throw failure;
      await release();
    } finally {
      await events.close();
      await queue.close();
    }
  };
}

/** Outcomes of jobs that completed without an event this sweep saw (before it listened, or lost). */
async function reconcile(
  queue: Queue<QueueJobData, PointOutcome[]>,
  collect: (job: string, o: PointOutcome[] | undefined) => void,
): Promise<void> {
  const completed = await queue.getCompletedCount();
  if (completed === 0) return;
  const jobs: Job<QueueJobData, PointOutcome[]>[] = await queue.getCompleted(0, -1);
  for (const j of jobs) if (j.id) collect(j.id, j.returnvalue);
}
