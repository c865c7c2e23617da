/**
 * The distributed executor: points go to a BullMQ queue on Redis, `weft worker` processes anywhere pull
 * and run them, and the sweep collects their outcomes into its store.
 *
 * Exactly once: a job's id is the point's hash, so a point enqueued twice (a rerun, two sweeps sharing
 * points) is one job; a worker that dies mid-point stops renewing its lock, and BullMQ's stalled-job check
 * puts the point back for another worker; the sweep stores an outcome under its hash once and removes the
 * job only once the store holds it (in batches, after the writer's flush), so an outcome finished while
 * no sweep was listening, or taken by a sweep killed before its write, is collected by the next run.
 */
import { type ConnectionOptions, type Job, Queue, QueueEvents } from "bullmq";
import type { PointOutcome } from "./execute.js";
import type { Executor } from "./run-sweep.js";
import type { SweepSpec } from "./spec.js";

export const QUEUE_NAME = "weft-points";

export interface QueueJobData {
  hash: string;
  doc: Record<string, unknown>;
  file?: string;
}

export function redisConnection(url: string): ConnectionOptions {
  return { url, maxRetriesPerRequest: null } as ConnectionOptions;
}

/** How often the sweep looks for outcomes it may have missed (events are a fast path, not the record). */
const RECONCILE_MS = 1000;
/** How often finished jobs whose outcomes are stored leave the queue (one store flush per batch). */
const RELEASE_MS = 250;

export function queueExecutor(url: string, _options: { spec?: SweepSpec } = {}): Executor {
  return async (tasks, onOutcome, durable = async () => {}) => {
    if (tasks.length === 0) return;
    const connection = redisConnection(url);
    const queue = new Queue<QueueJobData, PointOutcome>(QUEUE_NAME, { connection });
    const events = new QueueEvents(QUEUE_NAME, { connection });
    const pending = new Set(tasks.map((t) => t.hash));
    // Outcomes handed to the sweep whose jobs are still in the queue: removed once the store holds them.
    let taken: string[] = [];
    let chain: Promise<void> = Promise.resolve();
    let failure: unknown;
    let wake: () => void = () => {};
    const collect = (hash: string, outcome: PointOutcome | undefined) => {
      if (!pending.has(hash) || !outcome) return;
      pending.delete(hash);
      chain = chain
        .then(() => onOutcome(outcome))
        .then(() => {
          taken.push(hash);
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
        typeof returnvalue === "string" ? JSON.parse(returnvalue) : (returnvalue as unknown as PointOutcome),
      );
    });
    try {
      await events.waitUntilReady();
      // Outcomes finished before this sweep listened (a rerun after a kill) are collected at once.
      await reconcile(queue, pending, collect);
      await queue.addBulk(
        tasks.map((t) => ({
          name: "point",
          data: { hash: t.hash, doc: t.doc, ...(t.file !== undefined ? { file: t.file } : {}) },
          opts: { jobId: t.hash, removeOnComplete: false, removeOnFail: false, attempts: 3 },
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
        if (quiet) await reconcile(queue, pending, collect);
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
  queue: Queue<QueueJobData, PointOutcome>,
  pending: Set<string>,
  collect: (hash: string, o: PointOutcome | undefined) => void,
): Promise<void> {
  const completed = await queue.getCompletedCount();
  if (completed === 0) return;
  const jobs: Job<QueueJobData, PointOutcome>[] = await queue.getCompleted(0, -1);
  for (const j of jobs) if (j.id && pending.has(j.id)) collect(j.id, j.returnvalue);
}
