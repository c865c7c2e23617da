/** `weft worker --redis URL`: run sweep points from a Redis queue until stopped (Ctrl-C or SIGTERM). */
import { startQueueWorker } from "../sweep/queue-worker.js";
import { formatTime } from "../units/index.js";

export interface WorkerFlags {
  redis: string;
  concurrency?: string;
  stallTimeout?: string;
  log?: boolean;
}

export async function workerCommand(flags: WorkerFlags): Promise<void> {
  let done = 0;
  const worker = await startQueueWorker(flags.redis, {
    concurrency: flags.concurrency ? Number(flags.concurrency) : 1,
    ...(flags.stallTimeout ? { stallTimeoutS: Number(flags.stallTimeout) } : {}),
    onPoint(o) {
      done++;
      if (flags.log)
        process.stderr.write(
          `point ${o.hash.slice(0, 12)} ${o.status} in ${formatTime(o.wallS)}: ${o.name}\n`,
        );
    },
  });
  process.stderr.write(`weft worker: pulling points from ${flags.redis} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await worker.close();
  process.stderr.write(`weft worker: stopped after ${done} points\n`);
}
