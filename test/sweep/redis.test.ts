import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedisServer, startRedis } from "../../bench/redis-server.js";
import { openStore } from "../../src/store/index.js";
import { weft } from "../cli/run-cli.js";
import { example, exited, linesSeen, startWeft, tempDir, writeSweep } from "./helpers.js";

const dir = tempDir("weft-redis-");
let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

// Flow fidelity: each point takes a second or more, so a worker killed after its first point is mid-way
// through its next one.
const SWEEP = `
name: queue
base: ${example("training-llama3-70b-512-h100-oversub4.yaml")}
fidelity: flow
axes:
  cluster.scaleOut.oversubscription: [1, 2, 4, 8]
  workload.training.parallelism.tp: [4, 8]
derive:
  workload.training.parallelism.dp: 512 / (tp * workload.training.parallelism.pp)
objectives: { minimize: [plan.costUsd, stepTimeS] }
`;

describe("weft sweep --redis with weft worker processes", () => {
  it("runs every point exactly once, also when a worker is killed mid-run", async () => {
    const file = writeSweep(dir, "queue.yaml", SWEEP);
    const store = path.join(dir, "queue.duckdb");
    const workerArgs = ["worker", "--redis", redis.url, "--stall-timeout", "5", "--log"];
    const a = startWeft(workerArgs);
    const b = startWeft(workerArgs);
    try {
      await Promise.all([linesSeen(a, /pulling points/, 1), linesSeen(b, /pulling points/, 1)]);
      const sweep = startWeft(["sweep", file, "--store", store, "--redis", redis.url, "--json"]);
      // Kill one worker as soon as it has finished a point: it holds the next one.
      await linesSeen(a, /^point \w+ ok/, 1);
      a.kill("SIGKILL");
      expect(await exited(sweep)).toBe(0);
      const summary = JSON.parse(sweep.out.join(""));
      expect(summary).toMatchObject({ points: 8, ran: 8, reused: 0, errors: 0 });

      const s = await openStore(store);
      const [{ n, distinct }] = await s.query(
        "SELECT count(*) AS n, count(DISTINCT hash) AS distinct FROM points",
      );
      expect({ n, distinct }).toEqual({ n: 8, distinct: 8 });
      s.close();
      // Worker b did the rest, including the point the killed worker held.
      const byB = b.err
        .join("")
        .split("\n")
        .filter((l) => /^point \w+ ok/.test(l)).length;
      const byA = a.err
        .join("")
        .split("\n")
        .filter((l) => /^point \w+ ok/.test(l)).length;
      expect(byA + byB).toBeGreaterThanOrEqual(8);
      expect(byB).toBeGreaterThanOrEqual(8 - byA);

      // A rerun finds everything in the store and enqueues nothing.
      const again = weft(["sweep", file, "--store", store, "--redis", redis.url, "--json"]);
      expect(JSON.parse(again.stdout)).toMatchObject({ ran: 0, reused: 8 });
    } finally {
      a.kill("SIGKILL");
      b.kill("SIGTERM");
      await Promise.all([exited(a), exited(b)]);
    }
  });
});
