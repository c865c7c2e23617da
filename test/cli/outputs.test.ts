// What `weft run` writes: never over its input, permissions kept, and a closed pipe is no error.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
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
