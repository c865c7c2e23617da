/**
 * sweep-redis-workers: analytical training points of bench/sweeps/grid-2000.yaml pulled from a Redis queue
 * by one `weft worker` process, then by two; prints the points per second of each (from enqueueing to the
 * last outcome stored) and the speed-up (the target is ≥ 1.7x on a 2-core machine). Workers are the built
 * command (`dist/bin/main.js worker`, as a user starts them), started, ready and warm (a 200-point sweep of
 * other points runs through them untimed first: a worker fleet is long-lived, and a point's few
 * milliseconds are otherwise dominated by the fresh process compiling its code); a local redis-server
 * (Debian's) on a free port holds the queue. Timed: 800 points over four fabrics. Quick: 40 points, no
 * warm-up.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openStore, type Store } from "../../src/store/index.js";
import { queueExecutor } from "../../src/sweep/queue.js";
import { runSweep } from "../../src/sweep/run-sweep.js";
import { loadSweep } from "../../src/sweep/spec.js";
import type { BenchCase } from "../case.js";
import { ensureBuilt } from "../cli-startup.js";
import { type RedisServer, startRedis } from "../redis-server.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");

function waitFor(child: ChildProcess, stream: "stdout" | "stderr", text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    child[stream]?.on("data", (d) => {
      seen += String(d);
      if (seen.includes(text)) resolve();
    });
    child.once("exit", (code) => reject(new Error(`exited (${code}) before "${text}": ${seen}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** A sweep of grid-2000's points at the given oversubscriptions and NIC speed, through the queue. */
async function sweepThrough(
  url: string,
  store: Store,
  oversubscription: number[],
  nic: string,
  perFabric: number,
  onStart?: () => void,
): Promise<number> {
  const spec = loadSweep(path.join(repo, "bench/sweeps/grid-2000.yaml"));
  spec.axes[0].values = oversubscription;
  spec.axes[1].values = [nic]; // another NIC speed per run: new points, never found in a store or queue
  spec.axes[5].values = spec.axes[5].values.slice(0, perFabric / 8);
  const queue = queueExecutor(url);
  const s = await runSweep(spec, {
    store,
    executor: (tasks, onOutcome, durable) => {
      onStart?.();
      return queue(tasks, onOutcome, durable);
    },
  });
  return s.ran;
}

async function throughput(
  url: string,
  workers: number,
  quick: boolean,
  nics: [string, string],
): Promise<number> {
  const procs = Array.from({ length: workers }, () =>
    spawn(process.execPath, [path.join(repo, "dist/bin/main.js"), "worker", "--redis", url], {
      cwd: repo,
      stdio: ["ignore", "ignore", "pipe"],
    }),
  );
  const dir = mkdtempSync(path.join(tmpdir(), "weft-bench-redis-"));
  const store = await openStore(path.join(dir, "bench.duckdb"));
  try {
    await Promise.all(procs.map((p) => waitFor(p, "stderr", "pulling points")));
    if (!quick) await sweepThrough(url, store, [16], nics[0], 200);
    // Timed from the moment the points go to the queue: the sweep's own preparation (validating every
    // point as a scenario) happens before, the same for any number of workers.
    let started = 0;
    const ran = await sweepThrough(url, store, quick ? [1] : [1, 2, 4, 8], nics[1], quick ? 40 : 200, () => {
      started = performance.now();
    });
    return ran / ((performance.now() - started) / 1000);
  } finally {
    store.close();
    await Promise.all(procs.map(stop));
    rmSync(dir, { recursive: true, force: true });
  }
}

let redis: RedisServer | undefined;

const benchCase: BenchCase = {
  name: "sweep-redis-workers",
  description:
    "weft sweep --redis: points/s with one weft worker process vs two (analytical training points)",
  quick: true,
  async prepare() {
    ensureBuilt();
    redis = await startRedis();
  },
  async run({ quick }) {
    const points = quick ? 40 : 800;
    const url = redis?.url ?? "";
    try {
      const one = await throughput(url, 1, quick, ["100Gbps", "200Gbps"]);
      const two = await throughput(url, 2, quick, ["800Gbps", "400Gbps"]);
      return { extra: { points, pointsPerSOneWorker: one, pointsPerSTwoWorkers: two, speedup: two / one } };
    } finally {
      await redis?.stop();
    }
  },
};

export default benchCase;
