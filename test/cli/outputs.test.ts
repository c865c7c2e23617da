// What `weft run` writes: never over its input, permissions kept, and a closed pipe is no error.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeDirs } from "../../src/files/write.js";
import { REPO_ROOT } from "../helpers/data.js";
import { weft } from "./run-cli.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "weft-out-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const scenario = path.join(dir, "quick.yaml");
copyFileSync(path.join(REPO_ROOT, "examples/quickstart.yaml"), scenario);

describe("weft run --out", () => {
  it("refuses to write over the scenario it runs, before running it", () => {
    const before = readFileSync(scenario, "utf8");
    const r = weft(["run", scenario, "--fidelity", "analytical", "--out", scenario]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `error: --out ${scenario} is the scenario file; results would overwrite it. Expected a new file name for the results\n`,
    );
    expect(readFileSync(scenario, "utf8")).toBe(before);
  });

  it("keeps a 0600 target private and replaces its content whole", () => {
    const out = path.join(dir, "private.json");
    writeFileSync(out, "old");
    chmodSync(out, 0o600);
    const r = weft(["run", scenario, "--fidelity", "analytical", "--out", out]);
    expect(r.status).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(out, "utf8")).kind).toBe("collective");
  });
});

describe("an output path that cannot be written", () => {
  it("is named before anything runs: a folder for a file, a file for a folder, a file above it", () => {
    const folder = mkdtempSync(path.join(dir, "folder-"));
    const cases: [string[], string][] = [
      [["run", scenario, "--out", folder], `error: --out: ${folder} is a folder; expected a file path\n`],
      [
        ["export", scenario, "--format", "cabling", "--out", scenario],
        `error: --out: ${scenario} is a file; expected a folder to write into\n`,
      ],
      [
        ["run", scenario, "--out", path.join(scenario, "r.json")],
        `error: --out: ${scenario} is a file, so nothing can be written under it\n`,
      ],
    ];
    for (const [args, stderr] of cases) {
      const r = weft(args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stdout, "nothing ran").toBe("");
      expect(r.stderr).toBe(stderr);
    }
  });

  it("makes missing folders one by one, and fails cleanly where a folder cannot be made", () => {
    const deep = path.join(dir, "a", "b", "c", "r.json");
    expect(weft(["run", scenario, "--fidelity", "analytical", "--out", deep]).status).toBe(0);
    expect(JSON.parse(readFileSync(deep, "utf8")).kind).toBe("collective");
    // /proc answers mkdir with ENOENT; Node's own recursive mkdir spins on that forever.
    if (statSync("/proc", { throwIfNoEntry: false })?.isDirectory()) {
      expect(() => makeDirs("/proc/weft-no-such/x")).toThrow(
        "cannot create the folder /proc/weft-no-such (ENOENT)",
      );
    }
  });
});

describe("a closed stdout pipe", () => {
  it("ends quietly with success: no EPIPE stack", () => {
    // An all-to-all of 64 endpoints prints 4,032 flows (~500 KB), far more than a pipe holds, so the
    // writer meets the closed end.
    const sweep = path.join(dir, "all-to-all.yaml");
    writeFileSync(
      sweep,
      readFileSync(scenario, "utf8")
        .replace("nodes: 32", "nodes: 8")
        .replace(
          /workload:[\s\S]*?simulation:/,
          "workload:\n  traffic: { pattern: all-to-all, size: 1MB }\nsimulation:",
        ),
    );
    const r = spawnSync(
      "bash",
      [
        "-c",
        `${process.execPath} --import tsx src/cli/main.ts run ${sweep} --fidelity analytical --json | head -c 10`,
      ],
      { cwd: REPO_ROOT, encoding: "utf8", timeout: 120_000 },
    );
    expect(r.stdout).toBe('{\n  "kind"');
    expect(r.stderr).toBe("");
  });
});
