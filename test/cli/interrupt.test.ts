// Ctrl-C during a packet run: the engine stops at its next tick and a traffic run writes what finished,
// marked partial, with the flows that had not finished listed; the process ends normally.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/data.js";

// 64 flows of 200 MB at 100 Gb/s: ~3 M packets, tens of seconds of packet simulation.
const LONG = `name: a long permutation at packet fidelity
cluster:
  groups:
    - { name: gpu, nodes: 64, accelerator: H100-SXM, acceleratorsPerNode: 1, nics: { count: 1, bandwidth: 100Gbps } }
  scaleOut: { topology: fat-tree, tiers: 2, switch: { radix: 16, portBandwidth: 100Gbps } }
workload:
  traffic: { pattern: permutation, size: 200MB }
simulation: { fidelity: packet, seed: 1 }
`;

describe("Ctrl-C during a packet run", () => {
  it("writes the flows that finished, marked partial, and exits 0", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "weft-interrupt-"));
    const file = path.join(dir, "long.yaml");
    writeFileSync(file, LONG);
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(REPO_ROOT, "src/cli/main.ts"), "run", file, "--force", "--json"],
      { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += String(d);
    });
    child.stderr.on("data", (d) => {
      stderr += String(d);
    });
    // Long enough for the run to be under way (start-up is well under a second), far shorter than the run.
    await new Promise((r) => setTimeout(r, 4000));
    child.kill("SIGINT");
    const code = await new Promise<number | null>((r) => child.once("exit", r));
    expect(stderr).toMatch(/stopping at the next packet tick/);
    expect(code).toBe(0);
    const results = JSON.parse(stdout);
    expect(results.partial).toBe(true);
    expect(results.unfinishedFlows.length).toBeGreaterThan(0);
    expect(results.flows.length + results.unfinishedFlows.length).toBe(64);
  }, 60_000);
});
