/**
 * A queue worker (`weft worker --redis URL`): pulls batches of points from the sweep queue and runs them,
 * one batch at a time per process by default (a point's analytical run is CPU-bound: start one worker per
 * core). It runs until stopped; a stop waits for the batch in hand.
 */
import { Worker } from "bullmq";
import { parseScenario } from "../scenario/load.js";
import { makePointRunner, type PointOutcome } from "./execute.js";
import { QUEUE_NAME, type QueueJobData, redisConnection } from "./queue.js";

export interface WorkerOptions {
  concurrency?: number;
  /**
   * Seconds after which a point whose worker stopped answering goes back to the queue (the lock BullMQ
   * renews while the worker lives).
   */
  stallTimeoutS?: number;
  onPoint?: (o: PointOutcome) => void;
}

export interface RunningWorker {
  close(): Promise<void>;
}

export async function startQueueWorker(url: string, options: WorkerOptions = {}): Promise<RunningWorker> {
  const runPoint = makePointRunner();
  const lockMs = Math.round((options.stallTimeoutS ?? 30) * 1000);
  const worker = new Worker<QueueJobData, PointOutcome[]>(
    QUEUE_NAME,
    async (job) => {
      const outcomes: PointOutcome[] = [];
      for (const { hash, doc, file } of job.data.points) {
        const outcome = await runPoint(parseScenario(JSON.stringify(doc), file), hash);
        options.onPoint?.(outcome);
        outcomes.push(outcome);
      }
      return outcomes;
    },
    {
      connection: redisConnection(url),
      concurrency: options.concurrency ?? 1,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      maxStalledCount: 10,
    },
  );
  await worker.waitUntilReady();
  return { close: () => worker.close() };
}
