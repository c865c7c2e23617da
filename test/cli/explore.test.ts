import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openStore, type PointRow } from "../../src/store/index.js";
import { example, tempDir } from "../sweep/helpers.js";
import { weft } from "./run-cli.js";

const dir = tempDir("weft-explore-cli-");

describe("weft compare", () => {
  it("prints both designs' metrics and bills of materials with B - A, and the plan matches weft plan", () => {
    const a = example("training-llama3-70b-512-h100-rail.yaml");
    const b = example("training-llama3-70b-512-h100-oversub4.yaml");
    const r = weft(["compare", a, b, "--fidelity", "analytical", "--json"]);
    expect(r.status).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.fidelity).toBe("analytical");
    const row = (list: { metric: string }[], m: string) =>
      list.find((x) => x.metric === m) as unknown as {
        a: number;
        b: number;
        delta: number;
        relative: number;
      };
    for (const m of ["stepTimeS", "mfu", "exposedCommByKind.dp"]) {
      const x = row(c.metrics, m);
      expect(x.delta).toBeCloseTo(x.b - x.a, 12);
    }
    const cost = row(c.billOfMaterials, "plan.costUsd");
    expect(cost.relative).toBeCloseTo((cost.b - cost.a) / cost.a, 12);
    expect(cost.a).toBe(JSON.parse(weft(["plan", a, "--json"]).stdout).costUsd.total);
    expect(cost.b).toBe(JSON.parse(weft(["plan", b, "--json"]).stdout).costUsd.total);
    const text = weft(["compare", a, b, "--fidelity", "analytical"]).stdout;
    expect(text).toMatch(/stepTimeS\s+\S+ s\s+\S+ s\s+[+-]/);
    expect(text).toMatch(/Bill of materials[\s\S]*plan\.switches\.spine/);
  });

  it("two collective sweeps compare size by size, on the sizes both ran", () => {
    // The quickstart sweeps 1 MiB … 4 GiB, the rail-only example 16 MiB … 4 GiB: a sum over each one's
    // sizes, or the busbw of each one's largest, would compare unlike things.
    const a = example("quickstart.yaml");
    const b = example("rail-only-h100.yaml");
    const c = JSON.parse(weft(["compare", a, b, "--fidelity", "analytical", "--json"]).stdout);
    const sized = c.metrics.filter((m: { sizeBytes?: number }) => m.sizeBytes !== undefined);
    expect(sized.map((m: { sizeBytes: number }) => m.sizeBytes / 2 ** 20)).toEqual([
      16, 16, 64, 64, 256, 256, 1024, 1024, 4096, 4096,
    ]);
    expect(
      c.metrics.some((m: { metric: string; sizeBytes?: number }) => m.metric === "timeUs" && !m.sizeBytes),
    ).toBe(false);
    for (const m of sized) expect(m.delta).toBeCloseTo(m.b - m.a, 9);
    const text = weft(["compare", a, b, "--fidelity", "analytical"]).stdout;
    expect(text).toMatch(/busbwGBps at 4 GiB\s+\S+ GB\/s/);
  });
});

function point(i: number): PointRow {
  return {
    hash: `hash${i}`,
    sweep: "s1",
    name: `point ${i}`,
    kind: "training",
    fidelity: "analytical",
    status: "ok",
    inputs: { "workload.training.parallelism.tp": i % 2 ? 8 : 4 },
    metrics: { stepTimeS: 10 - i, "plan.costUsd": 1000 * i, mfu: 0.4 },
    wallS: 0.1,
  };
}

describe("weft results", () => {
  it("filters, sorts and exports a store's points, and runs SQL", async () => {
    const file = path.join(dir, "r.duckdb");
    const store = await openStore(file);
    await store.putSweep({ id: "s1", name: "demo", spec: {}, points: 6 });
    await store.putPoints([1, 2, 3, 4, 5, 6].map(point));
    await store.linkSweepPoints(
      "s1",
      [1, 2, 3, 4, 5, 6].map((i) => ({ hash: `hash${i}`, inputs: point(i).inputs })),
    );
    store.close();

    const r = weft([
      "results",
      "--store",
      file,
      "--sweep",
      "demo",
      "--where",
      "tp == 8 && stepTimeS < 9",
      "--sort",
      "plan.costUsd",
      "--desc",
      "--json",
    ]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).map((p: PointRow) => p.hash)).toEqual(["hash5", "hash3"]);

    const csv = path.join(dir, "out.csv");
    expect(weft(["results", "--store", file, "--where", "mfu > 0.3", "--export", csv]).status).toBe(0);
    const lines = readFileSync(csv, "utf8").trim().split("\n");
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatch(
      /^hash,name,kind,fidelity,status,reason,workload\.training\.parallelism\.tp,mfu,plan\.costUsd,stepTimeS,wall_s,weft_version$/,
    );

    const sql = weft([
      "results",
      "--store",
      file,
      "SELECT count(*) AS n FROM points WHERE CAST(metrics->>'stepTimeS' AS DOUBLE) > 5",
      "--json",
    ]);
    expect(JSON.parse(sql.stdout)).toEqual([{ n: 4 }]);
    const bad = weft(["results", "--store", file, "SELEC nonsense"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/the query failed/);

    // A name no point has is a typo, not an empty answer; an export's format is its file's ending.
    const typo = weft(["results", "--store", file, "--where", "stepTime < 9"]);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(
      /--where: no point has "stepTime"; expected a metric or an input, such as .*stepTimeS/,
    );
    const xlsx = weft(["results", "--store", file, "--export", path.join(dir, "p.xlsx")]);
    expect(xlsx.status).toBe(2);
    expect(xlsx.stderr).toMatch(/expected a file ending in \.csv, \.parquet or \.json/);
  });
});
