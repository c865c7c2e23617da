// Every command that writes files refuses, before it does any work, to write over one of its inputs: the
// scenario, a file the scenario reads, or another input the command was given.
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/store.js";
import { weft } from "./run-cli.js";

const root = mkdtempSync(path.join(os.tmpdir(), "weft-inputs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const CLUSTER = `cluster:
  groups:
    - { name: gpu, nodes: 4, accelerator: H100-SXM, acceleratorsPerNode: 8, nics: { count: 8, bandwidth: 400Gbps } }
  scaleOut: { topology: fat-tree, tiers: 2, switch: QM9700 }
workload:
  collective: { op: all-reduce, sizes: [1MiB] }
simulation: { fidelity: analytical, seed: 1 }
`;
const MANAGED = `name: managed\n${CLUSTER}manager:\n  jobs: jobs.yaml\n`;
const JOBS = "jobs:\n  - { id: a, arrival: 0s, gpus: 16, training: { model: llama3-8b, tp: 8, steps: 5 } }\n";

/** A fresh folder holding `files` (name → content). */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(root, "case-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

/**
 * The command fails with exit 2 and exactly `message`, runs nothing and leaves every file of `dir` as it
 * was. Arguments and the message name files of `dir` as `@name`, for their absolute path.
 */
function refused(args: string[], dir: string, message: string): void {
  const at = (text: string) => text.replace(/@([\w./-]*)/g, (_, name: string) => path.join(dir, name));
  const before = snapshot(dir);
  const r = weft(args.map(at));
  message = at(message);
  expect(r.stderr, args.join(" ")).toBe(`error: ${message}\n`);
  expect(r.status).toBe(2);
  expect(r.stdout, "nothing ran").toBe("");
  expect(snapshot(dir)).toEqual(before);
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const e of readdirSync(at, { withFileTypes: true })) {
      const p = path.join(at, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = readFileSync(p, "latin1");
    }
  };
  walk(dir);
  return out;
}

const overwrite = (flag: string, file: string, what: string) =>
  `${flag} ${file} is ${what}; results would overwrite it. Expected a new file name for the results`;

describe("weft manage -o", () => {
  it("refuses the scenario, its job trace and the --jobs trace", () => {
    const dir = folder({ "m.yaml": MANAGED, "jobs.yaml": JOBS, "trace.yaml": JOBS });
    refused(
      ["manage", "@m.yaml", "-o", "@m.yaml", "--policy", "first-fit"],
      dir,
      overwrite("--out", "@m.yaml", "the scenario file"),
    );
    refused(
      ["manage", "@m.yaml", "-o", "@jobs.yaml"],
      dir,
      overwrite("--out", "@jobs.yaml", "the scenario's job trace"),
    );
    refused(
      ["manage", "@m.yaml", "--jobs", "@trace.yaml", "-o", "@trace.yaml"],
      dir,
      overwrite("--out", "@trace.yaml", "the job trace (--jobs)"),
    );
  });
});

describe("weft calibrate -o", () => {
  it("refuses a file the scenario reads, before reading the measurements", () => {
    const dir = folder({ "m.yaml": MANAGED, "jobs.yaml": JOBS });
    refused(
      ["calibrate", "@m.yaml", "@all_reduce.txt", "-o", "@jobs.yaml"],
      dir,
      overwrite("--out", "@jobs.yaml", "the scenario's job trace"),
    );
  });
});

describe("weft export --out", () => {
  const exportOver = (target: string, what: string) =>
    `--out @: @${target} is ${what}; the export would overwrite it. Expected another folder for the export`;

  it("refuses a folder where a format would write over the scenario or the tenants file", () => {
    const tenants = JSON.stringify({ tenants: { blue: ["gpu-n0"] } });
    const dir = folder({
      "cabling.csv": `name: c\n${CLUSTER}`,
      "q.yaml": `name: q\n${CLUSTER}`,
      "hosts.json": tenants,
    });
    refused(
      ["export", "@cabling.csv", "--format", "cabling", "--out", "@"],
      dir,
      exportOver("cabling.csv", "the scenario file"),
    );
    refused(
      ["export", "@q.yaml", "--format", "hosts,sonic", "--tenants", "@hosts.json", "--out", "@"],
      dir,
      exportOver("hosts.json", "the tenants file (--tenants)"),
    );
    mkdirSync(path.join(dir, "sonic", "leaf-0"), { recursive: true });
    writeFileSync(path.join(dir, "sonic", "leaf-0", "config_db.json"), `name: s\n${CLUSTER}`);
    refused(
      ["export", "@sonic/leaf-0/config_db.json", "--format", "sonic", "--out", "@"],
      dir,
      exportOver("sonic/leaf-0/config_db.json", "the scenario file"),
    );
  });

  it("refuses an input reached under another name (a hard link), before writing any file", () => {
    const dir = folder({ "q.yaml": `name: q\n${CLUSTER}` });
    linkSync(path.join(dir, "q.yaml"), path.join(dir, "graph.json"));
    refused(
      ["export", "@q.yaml", "--format", "cabling,graph", "--out", "@"],
      dir,
      exportOver("graph.json", "the scenario file"),
    );
    expect(existsSync(path.join(dir, "cabling.csv")), "no format written").toBe(false);
  });
});

describe("weft sweep", () => {
  it("refuses a chart or store that is the sweep file, its base scenario or (the chart) the store", () => {
    const sweep = "name: s\nbase: base.yaml\naxes:\n  cluster.groups[0].nodes: [2, 4]\n";
    const dir = folder({ "s.yaml": sweep, "base.yaml": `name: base\n${CLUSTER}` });
    const run = ["sweep", "@s.yaml", "--workers", "1"];
    refused([...run, "--store", "@s.yaml"], dir, overwrite("--store", "@s.yaml", "the sweep file"));
    refused(
      [...run, "--store", "@base.yaml"],
      dir,
      overwrite("--store", "@base.yaml", "the sweep's base scenario"),
    );
    refused([...run, "--chart", "@s.yaml"], dir, overwrite("--chart", "@s.yaml", "the sweep file"));
    refused(
      [...run, "--chart", "@base.yaml"],
      dir,
      overwrite("--chart", "@base.yaml", "the sweep's base scenario"),
    );
    refused(
      [...run, "--store", "@st.duckdb", "--chart", "@st.duckdb"],
      dir,
      overwrite("--chart", "@st.duckdb", "the results store"),
    );
    refused([...run, "--chart", "@"], dir, "--chart: @ is a folder; expected a file path");
  });
});

describe("weft results --export", () => {
  it("refuses to export over the store it reads", async () => {
    const dir = folder({});
    const store = await openStore(path.join(dir, "st.json"));
    store.close();
    refused(
      ["results", "--store", "@st.json", "--export", "@st.json"],
      dir,
      overwrite("--export", "@st.json", "the results store"),
    );
  });
});
