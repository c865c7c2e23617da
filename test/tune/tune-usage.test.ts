// weft tune checks its flags and its file before it runs anything: a bad value is a usage error (exit 2)
// that names the flag, never a position in a candidate's generated document or an internal error.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type TuneFlags, tuneCommand } from "../../src/cli/tune.js";
import { WeftError } from "../../src/errors.js";
import { weft } from "../cli/run-cli.js";
import { example } from "../sweep/helpers.js";

const TRAINING = path.join(path.dirname(example("x")), "validation/megatron-sc21-1.7b.yaml");
const SERVING = example("inference-llama70b-disaggregated-h100.yaml");

async function usageError(file: string, flags: TuneFlags): Promise<WeftError> {
  const error = await tuneCommand(file, flags).catch((e) => e);
  expect(error).toBeInstanceOf(WeftError);
  expect(error.exitCode).toBe(2);
  return error;
}

describe("weft tune's flags", () => {
  it.each([
    [{ zero: "5" }, '--zero: expected ZeRO stages 0 to 3, comma-separated, got "5"'],
    [{ zero: "0,x" }, '--zero: expected ZeRO stages 0 to 3, comma-separated, got "0,x"'],
    [{ microBatches: "-2" }, '--micro-batches: expected micro-batch sizes ≥ 1, comma-separated, got "-2"'],
    [{ microBatches: "1.5" }, '--micro-batches: expected micro-batch sizes ≥ 1, comma-separated, got "1.5"'],
    [
      { microBatches: "1,3" },
      "--micro-batches: expected sizes that divide the global batch of 512 (each data-parallel rank takes whole micro-batches), got 3",
    ],
    [{ topK: "x" }, '--top-k: expected a whole number, got "x"'],
    [{ show: "x" }, '--show: expected a whole number ≥ 1, got "x"'],
    [{ show: "0" }, '--show: expected a whole number ≥ 1, got "0"'],
    [{ show: "-2" }, '--show: expected a whole number ≥ 1, got "-2"'],
    [{ workers: "0" }, '--workers: expected a whole number ≥ 1, got "0"'],
  ])("%j is refused before anything runs", async (flags, message) => {
    const error = await usageError(TRAINING, { workers: "1", ...flags });
    expect(error.message).toBe(message);
  });

  it("a training flag on a service is refused rather than ignored", async () => {
    for (const [flag, key] of [
      ["--zero", "zero"],
      ["--micro-batches", "microBatches"],
      ["--top-k", "topK"],
    ] as const) {
      const error = await usageError(SERVING, { workers: "1", [key]: "1" });
      expect(error.message).toBe(
        `${flag}: applies to training workloads; this scenario's workload is inference`,
      );
    }
  });

  it("-w 0 exits 2 with the flag's name, not an internal error", () => {
    const r = weft(["tune", TRAINING, "-w", "0"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: --workers: expected a whole number ≥ 1, got "0"\n');
  });
});

describe("weft tune's file", () => {
  it("a missing file or a directory reads as `run` says it", async () => {
    const missing = await usageError("nonexist.yaml", {});
    expect(missing.message).toBe("nonexist.yaml: cannot read the scenario nonexist.yaml: no such file");
    const dir = mkdtempSync(path.join(os.tmpdir(), "weft-tune-dir-"));
    const directory = await usageError(dir, {});
    expect(directory.message).toBe(`${dir}: cannot read the scenario ${dir}: a directory, not a file`);
  });

  it.each(["jobs-two-trainings-oversubscribed.yaml", "jobs-inference-beside-training.yaml"])(
    "a jobs: scenario (%s) is refused at its jobs: key, with how to tune one job",
    (name) => {
      const r = weft(["tune", example(name), "--workers", "1"]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(
          `^error: .*${name.replace(".", "\\.")}:\\d+:\\d+: weft tune needs a single workload: \\(training or inference\\), and this scenario has jobs: \\(2\\); to tune one job, copy its training: or inference: mapping under workload: in a scenario of its own`,
        ),
      );
      expect(r.stderr).not.toMatch(/internal error|Cannot read properties/);
    },
  );
});
