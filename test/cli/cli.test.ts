import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readDataCsv } from "../helpers/data.js";
import { weft } from "./run-cli.js";

const tmp = mkdtempSync(path.join(tmpdir(), "weft-cli-"));

function withoutWall(json: string): unknown {
  const o = JSON.parse(json);
  o.wallS = 0;
  return o;
}

describe("weft run", () => {
  it("prints an nccl-tests style table for the quickstart", () => {
    const r = weft(["run", "examples/quickstart.yaml"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/size\s+count\s+type\s+time\s+algbw \(GB\/s\)\s+busbw \(GB\/s\)\s+algorithm/);
    expect(r.stdout).toMatch(/4 GiB\s+1073741824\s+float/);
  });

  it("--json prints the contract's keys, and the same seed gives the same JSON", () => {
    const a = weft(["run", "examples/quickstart.yaml", "--json"]);
    expect(a.status).toBe(0);
    const o = JSON.parse(a.stdout);
    for (const key of ["scenario", "fidelity", "wallS", "fabric", "warnings", "rows"])
      expect(o).toHaveProperty(key);
    expect(o.fabric.accelerators).toBe(256);
    expect(o.rows).toHaveLength(7);
    for (const row of o.rows) {
      for (const key of ["sizeBytes", "timeUs", "algbwGBps", "busbwGBps", "algorithm"])
        expect(row).toHaveProperty(key);
      // busbw can never beat 8 x 400G NICs + NVLink by much: a loose physical bound.
      expect(row.busbwGBps).toBeLessThan(450);
    }
    const b = weft(["run", "examples/quickstart.yaml", "--json"]);
    // wallS is the one field measured on the wall clock; everything simulated is byte-identical.
    expect(JSON.stringify(withoutWall(b.stdout))).toBe(JSON.stringify(withoutWall(a.stdout)));
  });

  it("--fidelity overrides the scenario and --out writes the JSON atomically", () => {
    const out = path.join(tmp, "results.json");
    const r = weft(["run", "examples/dgx-h100-allreduce.yaml", "--fidelity", "analytical", "--out", out]);
    expect(r.status).toBe(0);
    const o = JSON.parse(readFileSync(out, "utf8"));
    expect(o.fidelity).toBe("analytical");
    expect(o.rows.length).toBe(32);
  });

  it("--sharing overrides the scenario's: an ECMP incast's flows finish together max-min, apart by path", () => {
    const file = "examples/traffic-ecmp-incast-by-path.yaml";
    const byPath = JSON.parse(weft(["run", file, "--json"]).stdout);
    const maxMin = JSON.parse(weft(["run", file, "--sharing", "max-min", "--json"]).stdout);
    expect(byPath.sharing).toBe("by-path");
    expect(maxMin.sharing).toBe("max-min");
    const spread = (r: { fctUs: { p50: number; max: number } }) => r.fctUs.max / r.fctUs.p50;
    expect(spread(maxMin)).toBeCloseTo(1, 9);
    expect(spread(byPath)).toBeGreaterThan(1.02);
    // The bottleneck stays busy either way: the last flow finishes at the same time.
    expect(byPath.fctUs.max).toBeCloseTo(maxMin.fctUs.max, 6);
    const bad = weft(["run", file, "--sharing", "fair"]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/max-min, by-path/);
  });
});

describe("bad input", () => {
  function runBad(name: string, text: string) {
    const file = path.join(tmp, name);
    writeFileSync(file, text);
    return { file, r: weft(["run", file]) };
  }
  const base = (groups: string) => `name: bad
cluster:
  groups:
${groups}
workload:
  collective: { op: all-reduce, sizes: [1MiB, 4MiB] }
`;

  it("a YAML syntax error names file:line:col, exits 2, no stack trace", () => {
    const { file, r } = runBad("syntax.yaml", "name: x\ncluster: [\n");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+: `));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("an unknown key suggests the nearest valid one", () => {
    const { file, r } = runBad(
      "key.yaml",
      base("    - { name: gpu, nodes: 2, accelerator: H100-SXM, nics: { count: 8, bandwith: 400Gbps } }"),
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}:4:`);
    expect(r.stderr).toContain('did you mean "bandwidth"');
  });

  it("a wrong unit says what was expected", () => {
    const { file, r } = runBad(
      "unit.yaml",
      base("    - { name: gpu, nodes: 2, accelerator: H100-SXM, nics: { count: 8, bandwidth: 400GB } }"),
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}:4:`);
    expect(r.stderr).toMatch(/bandwidth/);
  });

  it("a missing file is a clear error", () => {
    const r = weft(["run", path.join(tmp, "nope.yaml")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/nope\.yaml/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("weft plan", () => {
  it("--json gives the B200 SuperPOD counts of the reference architecture (4 SUs)", () => {
    const r = weft(["plan", "examples/b200-superpod-rail-optimized.yaml", "--json"]);
    expect(r.status).toBe(0);
    const o = JSON.parse(r.stdout);
    const row = readDataCsv("calibration/dgx_b200_superpod_compute_fabric.csv").find(
      (x) => x.scalable_units === "4",
    )!;
    expect(o.switches.leaf).toBe(Number(row.leaf_switches));
    expect(o.switches.spine).toBe(Number(row.spine_switches));
    expect(o.switches.core ?? 0).toBe(Number(row.core_switches));
    expect(o.cables.leaf).toBe(Number(row.cables_per_tier));
    expect(o.cables.spine).toBe(Number(row.cables_per_tier));
  });

  it("prints a table with human units", () => {
    const r = weft(["plan", "examples/quickstart.yaml"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/leaf\s+8/);
    expect(r.stdout).toMatch(/\$[\d,]+/);
  });
});

describe("weft validate", () => {
  it("--print shows the defaults filled in", () => {
    const r = weft(["validate", "examples/quickstart.yaml", "--print"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/loadBalancing: ecmp/);
    expect(r.stdout).toMatch(/seed: 1/);
  });
  it("says ok for a good file", () => {
    const r = weft(["validate", "examples/quickstart.yaml"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ok/);
    // A jobs: scenario's jobs run on their own accelerators, not the whole cluster.
    const jobs = weft(["validate", "examples/jobs-two-trainings-oversubscribed.yaml"]);
    expect(jobs.stderr).toBe("");
    expect(jobs.status).toBe(0);
  });
  it("refuses what run would refuse: a training layout beyond HBM, serving weights beyond HBM", () => {
    const head = [
      "name: checks",
      "cluster:",
      "  groups: [{ name: gpu, nodes: 1, accelerator: H100-SXM }]",
      "  scaleOut: { topology: fat-tree, switch: QM9700 }",
      "workload:",
    ];
    const layers = path.join(tmp, "layers.yaml");
    writeFileSync(
      layers,
      [
        ...head,
        "  training:",
        "    model: llama3-70b",
        "    parallelism: { tp: 1, pp: 1, dp: 8 }",
        "    microBatch: 1",
        "    globalBatch: 8",
      ].join("\n"),
    );
    const r = weft(["validate", layers]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("layers.yaml:");
    expect(r.stderr).toMatch(/llama3-70b does not fit/);
    const weights = path.join(tmp, "weights.yaml");
    writeFileSync(
      weights,
      [
        ...head,
        "  inference:",
        "    model: deepseek-v3",
        "    prefill: { group: gpu, tp: 8 }",
        "    requests: { rate: 1/s, count: 10, promptTokens: 128, outputTokens: 8 }",
      ].join("\n"),
    );
    const w = weft(["validate", weights]);
    expect(w.status).toBe(2);
    expect(w.stderr).toMatch(/deepseek-v3 weights need .* per accelerator/);
  });
});

describe("weft collective", () => {
  it("builds the scenario from flags like all_reduce_perf", () => {
    const r = weft(["collective", "all-reduce", "--gpus", "16", "-b", "1MiB", "-e", "64MiB", "--json"]);
    expect(r.status).toBe(0);
    const o = JSON.parse(r.stdout);
    expect(o.ranks).toBe(16);
    expect(o.rows.map((x: { sizeBytes: number }) => x.sizeBytes)).toEqual([
      2 ** 20,
      2 ** 21,
      2 ** 22,
      2 ** 23,
      2 ** 24,
      2 ** 25,
      2 ** 26,
    ]);
  });
  it("rejects an unknown op", () => {
    const r = weft(["collective", "all-reduse", "--gpus", "8"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/all-reduce/);
  });
  it("--help shows examples", () => {
    const r = weft(["collective", "--help"]);
    expect(r.stdout).toMatch(/Examples:/);
  });
});
