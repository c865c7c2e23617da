import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { run } from "../../src/run.js";
import { loadScenario } from "../../src/scenario/index.js";
import { openStore, scenarioHash } from "../../src/store/index.js";
import { inputsAt, materialize, pointFactory } from "../../src/sweep/point.js";
import { samplePoints } from "../../src/sweep/sample.js";
import { loadSweep } from "../../src/sweep/spec.js";
import { weft } from "../cli/run-cli.js";
import { example, exited, linesSeen, startWeft, tempDir, writeSweep } from "./helpers.js";

const dir = tempDir("weft-sweep-");

const GRID = `
name: grid
base: ${example("training-llama3-70b-512-h100-oversub4.yaml")}
fidelity: analytical
axes:
  cluster.scaleOut.oversubscription: [1, 2, 4]
  cluster.groups[0].nics.bandwidth: [200Gbps, 400Gbps, 800Gbps]
  workload.training.parallelism.tp: [4, 8]
derive:
  workload.training.parallelism.dp: 512 / (tp * workload.training.parallelism.pp)
objectives:
  minimize: [plan.costUsd, stepTimeS]
`;

function comparable(results: unknown): unknown {
  const { wallS: _w, timeline: _t, scenario: _s, ...rest } = results as Record<string, unknown>;
  return rest;
}

describe("weft sweep", () => {
  it("a 3x3x2 grid gives 18 rows whose values equal single weft runs of the same points", async () => {
    const file = writeSweep(dir, "grid.yaml", GRID);
    const store = path.join(dir, "grid.duckdb");
    const r = weft([
      "sweep",
      file,
      "--store",
      store,
      "--workers",
      "1",
      "--json",
      "--chart",
      path.join(dir, "grid.html"),
    ]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ sampled: 18, points: 18, ran: 18, reused: 0, errors: 0 });
    expect(summary.frontier.length).toBeGreaterThan(0);
    expect(readFileSync(path.join(dir, "grid.html"), "utf8")).toMatch(/<svg[\s\S]*<circle[\s\S]*<\/svg>/);

    const spec = loadSweep(file);
    const f = pointFactory(spec);
    const s = await openStore(store);
    const rows = await s.sweepPoints(summary.sweep);
    expect(rows).toHaveLength(18);
    const byHash = new Map(rows.map((row) => [row.hash, row]));
    for (const i of samplePoints(spec.axes, spec.sampling)) {
      const p = materialize(f, inputsAt(spec, i));
      if (p.status !== "ready") throw new Error(p.reason);
      // The point as a scenario file of its own, run the way `weft run` runs one.
      const pointFile = path.join(dir, `point-${i}.yaml`);
      writeFileSync(pointFile, stringify(p.doc));
      const scenario = loadScenario(pointFile);
      expect(scenarioHash(scenario)).toBe(p.hash);
      const single = await run(scenario);
      const row = byHash.get(p.hash);
      expect(row?.inputs).toEqual(p.inputs);
      expect(comparable(row?.results)).toEqual(comparable(single));
      if (single.kind === "training") expect(row?.metrics.stepTimeS).toBe(single.stepTimeS);
    }
    s.close();
    // And one of them through the command itself.
    const cli = weft(["run", path.join(dir, "point-5.yaml"), "--json"]);
    const p5 = materialize(f, inputsAt(spec, 5));
    if (p5.status !== "ready") throw new Error("point 5");
    expect(comparable(JSON.parse(cli.stdout))).toEqual(comparable(byHash.get(p5.hash)?.results));
  });

  it("resumes a killed sweep: only the missing points run, and the store holds each point once", async () => {
    const file = writeSweep(dir, "resume.yaml", GRID.replace("name: grid", "name: resume"));
    const store = path.join(dir, "resume.duckdb");
    const first = startWeft(["sweep", file, "--store", store, "--workers", "1", "--log"]);
    await linesSeen(first, /^\d+\/18 points/, 4);
    first.kill("SIGKILL");
    await exited(first);

    const again = weft(["sweep", file, "--store", store, "--workers", "1", "--json"]);
    expect(again.status).toBe(0);
    const summary = JSON.parse(again.stdout);
    expect(summary.reused).toBeGreaterThanOrEqual(4);
    expect(summary.ran).toBeLessThan(18);
    expect(summary.ran + summary.reused).toBe(18);

    const s = await openStore(store);
    const [{ n, distinct }] = await s.query(
      "SELECT count(*) AS n, count(DISTINCT hash) AS distinct FROM points",
    );
    expect({ n, distinct }).toEqual({ n: 18, distinct: 18 });
    s.close();

    const third = JSON.parse(weft(["sweep", file, "--store", store, "--workers", "1", "--json"]).stdout);
    expect(third).toMatchObject({ ran: 0, reused: 18 });
  });

  it("skips points that break a constraint, counted by reason, and names the axis values of invalid points", () => {
    const file = writeSweep(
      dir,
      "constrained.yaml",
      `${GRID.replace("name: grid", "name: constrained")}
constraints:
  - { when: "cluster.groups[0].nics.bandwidth >= 400Gbps", reason: "slow NICs" }
  - oversubscription < 4
`.replace("[4, 8]", "[3, 4, 8]"),
    );
    const r = weft(["sweep", file, "--store", path.join(dir, "c.duckdb"), "--workers", "1", "--json"]);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.sampled).toBe(27);
    expect(s.skipped).toEqual({ "slow NICs": 9, "oversubscription < 4": 6 });
    // tp = 3 does not divide the 64 heads: the scenario rules reject those points.
    const invalid = Object.entries(s.invalid);
    expect(invalid.reduce((a, [, n]) => a + (n as number), 0)).toBe(4);
    // Each reason names the axis values of a point it rejected.
    for (const [reason] of invalid)
      expect(s.invalidExample[reason]).toMatch(/^oversubscription=\d bandwidth=\d+Gbps tp=3$/);
    expect(s.ran).toBe(8);
  });

  it("reports a bad sweep file as file:line:col with exit code 2", () => {
    const file = writeSweep(dir, "bad.yaml", GRID.replace("512 / (tp * workload", "512 / (tp * * workload"));
    const r = weft(["sweep", file, "--workers", "1"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${file}:\\d+:\\d+: in "512 / \\(tp \\* \\* workload`));
    const typo = writeSweep(dir, "typo.yaml", GRID.replace("objectives:", "objectivs:"));
    const t = weft(["sweep", typo, "--workers", "1"]);
    expect(t.status).toBe(2);
    expect(t.stderr).toMatch(/typo\.yaml:\d+:1: .*objectivs.*objectives/);
  });

  it("refuses --workers 0 and a --top that is not a count before any point runs", () => {
    const file = writeSweep(dir, "flags.yaml", GRID);
    const w = weft(["sweep", file, "--workers", "0"]);
    expect(w.status).toBe(2);
    expect(w.stderr).toBe('error: --workers: expected a whole number ≥ 1, got "0"\n');
    const t = weft(["sweep", file, "--top", "x"]);
    expect(t.status).toBe(2);
    expect(t.stderr).toBe('error: --top: expected a whole number ≥ 1, got "x"\n');
  });
});
