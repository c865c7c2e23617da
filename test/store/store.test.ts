import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { planSummary } from "../../src/report/plan.js";
import { run } from "../../src/run.js";
import { parseScenario } from "../../src/scenario/index.js";
import {
  migrations,
  openStore,
  type PointRow,
  pointMetrics,
  registerMigration,
  scenarioHash,
} from "../../src/store/index.js";
import { buildScenarioFabric } from "../../src/topology/build.js";
import { weftVersion } from "../../src/version.js";

const tmp = mkdtempSync(path.join(tmpdir(), "weft-store-"));

function point(i: number, extra: Partial<PointRow> = {}): PointRow {
  return {
    hash: `h${i}`,
    name: `p${i}`,
    kind: "training",
    fidelity: "analytical",
    status: "ok",
    inputs: { "workload.training.parallelism.tp": 2 ** i },
    metrics: { stepTimeS: 10 - i, "plan.costUsd": 1000 * i },
    results: { stepTimeS: 10 - i },
    wallS: 0.01,
    ...extra,
  };
}

describe("results store", () => {
  it("puts and gets points by hash, replacing a point written twice", async () => {
    const file = path.join(tmp, "a", "weft.duckdb");
    const store = await openStore(file);
    await store.putPoint(point(1));
    await store.putPoints([point(2), point(3), point(1, { name: "again" })]);
    expect(await store.getPoint("h1")).toEqual({
      ...point(1, { name: "again" }),
      weftVersion: weftVersion(),
    });
    expect(await store.getPoint("nope")).toBeUndefined();
    expect(await store.knownHashes(["h1", "h3", "h9"])).toEqual(new Set(["h1", "h3"]));
    expect((await store.knownHashes()).size).toBe(3);
    const [{ n }] = await store.query("SELECT count(*) AS n FROM points");
    expect(n).toBe(3);
    store.close();

    // Everything survives closing and opening again.
    const again = await openStore(file);
    expect((await again.getPoint("h2"))?.metrics).toEqual(point(2).metrics);
    again.close();
  });

  it("queries metrics with SQL and exports CSV and Parquet that read back the same rows", async () => {
    const store = await openStore(path.join(tmp, "b.duckdb"));
    await store.putPoints([1, 2, 3, 4].map((i) => point(i)));
    const sql = `SELECT name, CAST(metrics->>'stepTimeS' AS DOUBLE) AS step_time_s FROM points
                   WHERE CAST(metrics->>'plan.costUsd' AS DOUBLE) >= 2000 ORDER BY step_time_s`;
    const rows = await store.query(sql);
    expect(rows).toEqual([
      { name: "p4", step_time_s: 6 },
      { name: "p3", step_time_s: 7 },
      { name: "p2", step_time_s: 8 },
    ]);
    const csv = path.join(tmp, "out", "rows.csv");
    expect(await store.exportQuery(sql, csv)).toBe(3);
    expect(readFileSync(csv, "utf8").trim().split("\n")).toEqual([
      "name,step_time_s",
      "p4,6.0",
      "p3,7.0",
      "p2,8.0",
    ]);
    const parquet = path.join(tmp, "out", "rows.parquet");
    expect(await store.exportQuery(sql, parquet)).toBe(3);
    expect(readFileSync(parquet).subarray(0, 4).toString()).toBe("PAR1");
    const back = await store.query(`SELECT * FROM read_parquet('${parquet}')`);
    expect(back).toEqual(rows);
    store.close();
  });

  it("records sweeps and their points with each sweep's own inputs", async () => {
    const store = await openStore(path.join(tmp, "c.duckdb"));
    await store.putSweep({ id: "s1", name: "first", spec: { axes: 1 }, points: 2 });
    await store.putPoints([point(1, { sweep: "s1" }), point(2, { sweep: "s1" })]);
    await store.linkSweepPoints("s1", [
      { hash: "h1", inputs: { x: 1 } },
      { hash: "h2", inputs: { x: 2 } },
    ]);
    await store.linkSweepPoints("s2", [{ hash: "h1", inputs: { y: "other" } }]);
    const points = (await store.sweepPoints("s1")).sort((a, b) => a.hash.localeCompare(b.hash));
    expect(points.map((p) => p.inputs)).toEqual([{ x: 1 }, { x: 2 }]);
    expect((await store.sweepPoints("s2"))[0].inputs).toEqual({ y: "other" });
    expect(await store.getSweep("s1")).toEqual({ id: "s1", name: "first", spec: { axes: 1 }, points: 2 });
    const list = await store.listSweeps();
    expect(list.map((s) => [s.id, s.done])).toEqual([["s1", 2]]);
    store.close();
  });

  it("applies migrations registered later to existing files, once", async () => {
    const file = path.join(tmp, "d.duckdb");
    (await openStore(file)).close();
    const version = Math.max(...migrations().map((m) => m.version)) + 1;
    const runs = { version, description: "runs", sql: "CREATE TABLE runs_test (id VARCHAR PRIMARY KEY)" };
    registerMigration(runs);
    registerMigration(runs); // the same one twice is harmless
    expect(() => registerMigration({ ...runs, sql: "SELECT 1" })).toThrow(/already registered/);
    const store = await openStore(file);
    await store.query("INSERT INTO runs_test VALUES ('r1')");
    store.close();
    const again = await openStore(file);
    expect(await again.query("SELECT id FROM runs_test")).toEqual([{ id: "r1" }]);
    again.close();
  });

  it("stores a real run's contract metrics and plan under the scenario's hash", async () => {
    const scenario = parseScenario(`
name: small
cluster:
  groups: [{ name: gpu, nodes: 4, accelerator: H100-SXM }]
  scaleOut: { topology: fat-tree, switch: QM9700 }
workload:
  training:
    model: llama3-8b
    parallelism: { tp: 8, pp: 1, dp: 4 }
    globalBatch: 64
simulation: { fidelity: analytical }
`);
    const results = await run(scenario);
    const plan = planSummary(buildScenarioFabric(scenario), scenario);
    const metrics = pointMetrics(results, plan, scenario);
    if (results.kind !== "training") throw new Error("expected training");
    expect(metrics.stepTimeS).toBe(results.stepTimeS);
    expect(metrics["breakdown.exposedCommS"]).toBe(results.breakdown.exposedCommS);
    expect(metrics["exposedCommByKind.dp"]).toBe(results.exposedCommByKind.dp);
    expect(metrics["plan.costUsd"]).toBe(plan.costUsd.total);
    expect(metrics.costPerStepUsd).toBeCloseTo(
      (32 * scenario.cluster.groups[0].priceUsdPerHour * results.stepTimeS) / 3600,
      12,
    );
    const store = await openStore(path.join(tmp, "e.duckdb"));
    const hash = scenarioHash(scenario);
    await store.putPoint({
      hash,
      name: scenario.name,
      kind: results.kind,
      fidelity: results.fidelity,
      status: "ok",
      inputs: {},
      metrics,
      wallS: results.wallS,
    });
    expect((await store.getPoint(hash))?.metrics).toEqual(metrics);
    store.close();
  });

  it("says which file it cannot open, as a user error", async () => {
    await expect(openStore(path.join(tmp, "missing", "x.duckdb"), { readOnly: true })).rejects.toThrow(
      /missing\/x\.duckdb: cannot open the results store/,
    );
  });
});
