// Usage errors exit with 2 and name the flag; short flags mean one thing; flags that do not apply are errors.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type CollectiveFlags, collectiveCommand } from "../../src/cli/collective.js";
import { WeftError } from "../../src/errors.js";
import { REPO_ROOT } from "../helpers/data.js";
import { weft } from "./run-cli.js";

const COMMANDS = ["run", "plan", "validate", "catalog", "collective"];

/** The defaults main.ts gives the collective command's options. */
const COLLECTIVE_DEFAULTS: CollectiveFlags = {
  gpus: "8",
  accelerator: "H100-SXM",
  nicBandwidth: "400Gbps",
  topology: "fat-tree",
  switch: "QM9700",
  tiers: "auto",
  oversubscription: "1",
  minbytes: "8B",
  maxbytes: "16GiB",
  stepfactor: "2",
  algorithm: "auto",
};

describe("usage errors exit with 2", () => {
  it.each([
    [["run", "examples/quickstart.yaml", "--bogus"], /unknown option '--bogus'/],
    [["run"], /missing required argument 'file'/],
    [["frobnicate"], /unknown command 'frobnicate'/],
    [["jobs", "--help"], /unknown command 'jobs'/],
    [["run", "examples/quickstart.yaml", "--fidelity", "exact"], /--fidelity.*analytical, flow, packet/],
    [["catalog", "gpus"], /accelerators, scale-up, nics, switches, optics/],
  ])("weft %j", (args, message) => {
    const r = weft(args as string[]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/ at .*\.(ts|js):\d+/);
  });

  it("collective: a bad flag value exits 2 and names the flag", () => {
    const r = weft(["collective", "all-reduce", "--gpus", "abc"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: --gpus: expected a whole number of accelerators, at least 2; got "abc"\n');
    // --gpus also sets the nodes, per-node count and NICs: a bad count is named once, as --gpus.
    for (const gpus of ["0", "1", "2.5"]) {
      const bad = weft(["collective", "all-reduce", "--gpus", gpus]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toBe(
        `error: --gpus: expected a whole number of accelerators, at least 2; got "${gpus}"\n`,
      );
    }
    // --per-node sets the nodes and the NICs: a bad one is named once, as --per-node.
    const perNode = weft(["collective", "all-reduce", "--gpus", "16", "--per-node", "0"]);
    expect(perNode.status).toBe(2);
    expect(perNode.stderr).toBe("error: --per-node: expected a number ≥ 1, got number 0\n");
  });

  it.each([
    [{ gpus: "8", nics: "two" }, '--nics: expected a number, got string "two"'],
    [{ gpus: "8", minbytes: "1XB" }, '--minbytes: "1XB" has unit "XB"'],
    [{ gpus: "8", stepfactor: "1" }, "--stepfactor: expected a number ≥ 1.01"],
    [{ gpus: "8", accelerator: "H10" }, '--accelerator: unknown accelerator "H10"'],
    [{ gpus: "8", tiers: "7" }, "--tiers: expected 1, 2, 3 or auto"],
  ])("collective %j names the flag, never a position in the generated document", async (flags, message) => {
    const error = await collectiveCommand("all-reduce", { ...COLLECTIVE_DEFAULTS, ...flags }).catch((e) => e);
    expect(error).toBeInstanceOf(WeftError);
    expect(error.message).toContain(message);
    expect(error.message).not.toMatch(/<flags>|:\d+:\d+/);
    expect(error.exitCode).toBe(2);
  });
});

describe("serve's own flags", () => {
  it("a token too short to guard anything, or a port past 65535, is a usage error before listening", () => {
    const empty = weft(["serve", "--token", "", "--port", "0"]);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toBe(
      "error: --token: expected at least 16 characters (leave it out for a random one), got 0\n",
    );
    const port = weft(["serve", "--port", "99999"]);
    expect(port.status).toBe(2);
    expect(port.stderr).toBe('error: --port: expected a port from 0 to 65535, got "99999"\n');
  });
});

describe("flags", () => {
  it("help and version exit with 0", () => {
    expect(weft(["--version"]).status).toBe(0);
    expect(weft(["--help"]).status).toBe(0);
    expect(weft(["run", "--help"]).status).toBe(0);
  });

  it("each short flag means one long flag across all commands", () => {
    const meaning = new Map<string, Set<string>>();
    for (const command of COMMANDS) {
      const help = weft([command, "--help"]).stdout;
      for (const [, short, long] of help.matchAll(/^\s+(-\w), (--[\w-]+)/gm)) {
        meaning.set(short, (meaning.get(short) ?? new Set()).add(long));
      }
    }
    expect(meaning.size).toBeGreaterThan(3);
    for (const [short, longs] of meaning)
      expect([short, [...longs]]).toEqual([short, [...longs].slice(0, 1)]);
  });

  it.each([
    [["run", "examples/quickstart.yaml", "--svg", "x.svg"], "--svg: applies to training workloads"],
    [
      ["run", "examples/quickstart.yaml", "--requests", "x.csv"],
      "--requests: applies to inference workloads",
    ],
    [["run", "examples/quickstart.yaml", "--trace", "x.csv"], "--trace: applies to traffic workloads"],
    [["run", "examples/quickstart.yaml", "--no-what-if"], "--no-what-if: applies to training workloads"],
    [
      ["run", "examples/training-llama3-70b-512-h100-rail.yaml", "--format", "nccl-tests"],
      "--format nccl-tests: applies to collective workloads",
    ],
  ])("%j is an error, not ignored", (args, message) => {
    const r = weft(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe("");
  });
});

describe("standard input", () => {
  const stdin = (args: string[], input: string) =>
    spawnSync(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "src/cli/main.ts"), ...args], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      input,
      timeout: 120_000,
    });

  it("weft run - reads the scenario from stdin and gives what the file gives", () => {
    const text = readFileSync(path.join(REPO_ROOT, "examples/quickstart.yaml"), "utf8");
    const piped = stdin(["run", "-", "--json", "--fidelity", "analytical"], text);
    expect(piped.status).toBe(0);
    const file = weft(["run", "examples/quickstart.yaml", "--json", "--fidelity", "analytical"]);
    expect(JSON.parse(piped.stdout).rows).toEqual(JSON.parse(file.stdout).rows);
  });

  it("weft validate --print | weft run - gives what the file gives", () => {
    const printed = weft(["validate", "examples/dgx-h100-allreduce.yaml", "--print"]);
    expect(printed.status).toBe(0);
    const piped = stdin(["run", "-", "--json"], printed.stdout);
    expect(piped.stderr).toBe("");
    const file = weft(["run", "examples/dgx-h100-allreduce.yaml", "--json"]);
    expect(JSON.parse(piped.stdout).rows).toEqual(JSON.parse(file.stdout).rows);
  });

  it("an error in stdin names <stdin>:line:col", () => {
    const r = stdin(["validate", "-"], "name: x\ncluster: [\n");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: <stdin>:\d+:\d+: YAML syntax error/);
  });
});

describe("weft catalog", () => {
  it("lists every kind with each entry's source", () => {
    const r = weft(["catalog"]);
    expect(r.status).toBe(0);
    for (const kind of ["accelerators", "scale-up", "nics", "switches", "optics"])
      expect(r.stdout).toMatch(new RegExp(`^# ${kind} \\(\\d+\\)$`, "m"));
    expect(r.stdout).toMatch(/^H100-SXM\s+.*NVIDIA.*datasheet/m);
  });

  it("one kind as JSON: every entry has an id and a source", () => {
    const r = weft(["catalog", "switches", "--json"]);
    expect(r.status).toBe(0);
    const o = JSON.parse(r.stdout);
    expect(Object.keys(o)).toEqual(["switches"]);
    expect(o.switches.length).toBeGreaterThan(3);
    for (const e of o.switches) expect(e.source.length).toBeGreaterThan(5);
  });
});
