/**
 * `weft calibrate <scenario> [nccl-tests files...] [--step FILE=TIME ...]`: fits a cluster's link
 * constants (link efficiency and α per tier) to its nccl-tests runs and its accelerator's compute
 * efficiency to its training step times, prints the fit and every residual, and writes the catalog
 * override file (a `hardware:` section) that scenarios of the same cluster take as their own.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { type ComputeFit, fitCompute, type StepMeasurement } from "../calibrate/fit-compute.js";
import {
  type CalibrationRun,
  fitLinks,
  type LinkFit,
  type Residual,
  tierOf,
} from "../calibrate/fit-links.js";
import { type NcclRun, opOfName, parseNcclTests } from "../calibrate/nccl-tests.js";
import { checkOverrideTargets, overridesDocument, overridesYaml } from "../calibrate/overrides.js";
import { WeftError } from "../errors.js";
import { sameFile } from "../files/same-file.js";
import { checkOutputFile, writeFileAtomic } from "../files/write.js";
import { loadScenario } from "../scenario/load.js";
import { COLLECTIVE_OPS } from "../scenario/schema.js";
import type { CollectiveOp, Scenario } from "../scenario/types.js";
import { formatTime, parseQuantity } from "../units/index.js";
import { setupNetwork } from "../workload/network.js";
import { checkNotAnInput as refuseOverInput, scenarioInputs } from "./outputs.js";

export interface CalibrateFlags {
  op?: string;
  ranks?: string;
  step?: string[];
  out: string;
  json?: boolean;
}

// The collectives a scenario names, so the two lists cannot drift.
const OPS: readonly CollectiveOp[] = COLLECTIVE_OPS;

/** `--op`, checked before any work. */
function opFlag(value: string | undefined): CollectiveOp | undefined {
  if (value === undefined) return undefined;
  if ((OPS as readonly string[]).includes(value)) return value as CollectiveOp;
  const near = opOfName(value.replace(/-/g, "_"));
  throw new WeftError(
    `--op ${value}: not a known collective${near ? ` (did you mean ${near}?)` : ""}; expected one of ${OPS.join(", ")}`,
  );
}

/** `--ranks`, checked before any work. */
function ranksFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 2) {
    throw new WeftError(`--ranks ${value}: expected a whole number of ranks ≥ 2`);
  }
  return n;
}

/** The file's collective; `--op` only for a file that does not name one, and never against it. */
function runOp(run: NcclRun, flag: CollectiveOp | undefined): CollectiveOp {
  if (run.op && flag && flag !== run.op) {
    throw new WeftError(
      `${run.file}: --op ${flag} contradicts the file, whose ${run.opSource ?? "name"} says ${run.op}; --op is for files that do not name their collective: expected no --op, or --op ${run.op}`,
    );
  }
  const op = run.op ?? flag;
  if (!op) {
    throw new WeftError(
      `${run.file}: which collective is this? The file does not say (no "# Collective test starting:" line, no op in its name); pass --op (one of ${OPS.join(", ")})`,
    );
  }
  return op;
}

/** The file's rank count; `--ranks` only for a file that lists no ranks, and never against it. */
function runRanks(run: NcclRun, flag: number | undefined): number {
  if (run.ranks !== undefined && flag !== undefined && flag !== run.ranks) {
    throw new WeftError(
      `${run.file}: --ranks ${flag} contradicts the file, whose rank lines (#  Rank N ... on HOST) list ${run.ranks} ranks on ${run.hosts} host(s); --ranks is for files that do not list them: expected no --ranks, or --ranks ${run.ranks}`,
    );
  }
  const ranks = run.ranks ?? flag;
  if (ranks === undefined) {
    throw new WeftError(
      `${run.file}: how many ranks ran it? The file lists none; pass --ranks N (a whole number ≥ 2)`,
    );
  }
  if (ranks < 2)
    throw new WeftError(`${run.file}: the file lists ${ranks} rank; expected a run of 2 or more`);
  return ranks;
}

function readRun(file: string, op: CollectiveOp | undefined, ranks: number | undefined): CalibrationRun {
  const run = parseNcclTests(readFileSync(file, "utf8"), file);
  return { ...run, op: runOp(run, op), ranks: runRanks(run, ranks) };
}

/** The scenario of `--step SCENARIO=TIME`. */
function stepFile(arg: string): string {
  const eq = arg.lastIndexOf("=");
  return eq < 0 ? arg : arg.slice(0, eq);
}

function readStep(arg: string): StepMeasurement {
  const eq = arg.lastIndexOf("=");
  if (eq < 0) throw new WeftError(`--step ${arg}: expected SCENARIO=TIME, e.g. --step llama-64.yaml=8.85s`);
  const file = arg.slice(0, eq);
  let stepTimeS: number;
  try {
    stepTimeS = parseQuantity("time", arg.slice(eq + 1));
  } catch (e) {
    throw new WeftError(`--step ${arg}: ${(e as Error).message}`);
  }
  if (!(stepTimeS > 0) || !Number.isFinite(stepTimeS)) {
    throw new WeftError(
      `--step ${arg}: a step takes a positive time; expected a time above zero such as 8.85s`,
    );
  }
  return { file, scenario: loadScenario(file), stepTimeS };
}

/** `-o` must not name one of the command's own inputs: the fit would overwrite what it was fitted on. */
function checkNotAnInput(out: string, scenarioFile: string, files: string[], steps: string[]): void {
  const inputs = [
    { file: scenarioFile, what: "the scenario" },
    ...files.map((file) => ({ file, what: "a measurement file" })),
    ...steps.map((arg) => ({ file: stepFile(arg), what: "a --step scenario" })),
  ];
  const hit = inputs.find((x) => sameFile(out, x.file));
  if (hit) {
    throw new WeftError(
      `--out ${out} is ${hit.what} (${hit.file}); writing the fit there would overwrite it. Expected a new file name for the override file`,
    );
  }
}

const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;

/** The residual of largest magnitude, with its sign (the model over- or under-estimates). */
function largestResidual<R extends { err: number }>(res: R[]): R | undefined {
  return res.reduce<R | undefined>(
    (w, r) => (w === undefined || Math.abs(r.err) > Math.abs(w.err) ? r : w),
    undefined,
  );
}

function linkLines(t: LinkFit["tiers"][number]): string[] {
  const worst = largestResidual<Residual>(t.residuals);
  const lines = [
    `${t.tier}: link efficiency ${t.linkEfficiency.toFixed(3)}, α ${formatTime(t.stepLatencyS)} (Simple) — ${t.residuals.length} sizes, largest residual ${worst ? pct(worst.err) : "none"}`,
  ];
  for (const r of t.residuals) {
    lines.push(
      `  ${path.basename(r.file).padEnd(28)} ${String(r.bytes).padStart(12)} B  measured ${formatTime(r.measuredS).padStart(9)}  model ${formatTime(r.modelS).padStart(9)}  ${pct(r.err)}`,
    );
  }
  return lines;
}

function computeLines(compute: ComputeFit): string[] {
  const lines: string[] = [];
  for (const [precision, c] of Object.entries(compute.curves)) {
    if (c) {
      lines.push(
        `${compute.accelerator} ${precision}: gemmMax ${c.gemmMax.toFixed(3)}, flash ${c.flash.toFixed(3)}`,
      );
    }
  }
  for (const r of compute.residuals) {
    lines.push(
      `  ${path.basename(r.file).padEnd(28)} ${r.precision}  measured ${formatTime(r.measuredS).padStart(9)}  model ${formatTime(r.modelS).padStart(9)}  ${pct(r.err)}`,
    );
  }
  return lines;
}

export function report(links: LinkFit | undefined, compute: ComputeFit | undefined, out: string): string {
  const lines = [...(links?.tiers ?? []).flatMap(linkLines), ...(compute ? computeLines(compute) : [])];
  lines.push(`wrote ${out} (add its hardware: section to scenarios of this cluster)`);
  return `${lines.join("\n")}\n`;
}

interface Inputs {
  scenario: Scenario;
  runs: CalibrationRun[];
  steps: StepMeasurement[];
}

/** Reads and checks every input; fails before any fitting. */
function readInputs(scenarioFile: string, files: string[], flags: CalibrateFlags): Inputs {
  checkOutputFile(flags.out, "--out");
  checkNotAnInput(flags.out, scenarioFile, files, flags.step ?? []);
  const op = opFlag(flags.op);
  const ranks = ranksFlag(flags.ranks);
  if (files.length === 0 && (flags.step ?? []).length === 0) {
    throw new WeftError("nothing to fit: give nccl-tests output files and/or --step SCENARIO=TIME");
  }
  const steps = (flags.step ?? []).map(readStep);
  const scenario = loadScenario(scenarioFile);
  // The files the scenario reads (a traffic matrix, a request or job trace) are inputs too.
  refuseOverInput("--out", flags.out, scenarioInputs(scenario));
  const runs = files.map((f) => readRun(f, op, ranks));
  return { scenario, runs, steps };
}

export async function calibrateCommand(
  scenarioFile: string,
  files: string[],
  flags: CalibrateFlags,
): Promise<void> {
  const { scenario, runs, steps } = readInputs(scenarioFile, files, flags);
  const net = setupNetwork({ ...scenario, simulation: { ...scenario.simulation, fidelity: "analytical" } });
  checkOverrideTargets(
    scenario,
    runs.map((r) => tierOf(net.collectives, r)),
  );
  const links = runs.length > 0 ? fitLinks(net.collectives, runs) : undefined;
  const compute = steps.length > 0 ? fitCompute(steps, links?.model) : undefined;
  const notes = runs.flatMap((r) => r.notes);
  const warnings = [...(links?.tiers ?? []).flatMap((t) => t.warnings), ...(compute?.warnings ?? [])];
  const sources = [...files, ...steps.map((s) => s.file)].map((f) => path.basename(f)).join(", ");
  const doc = overridesDocument(scenario, links, compute, sources);
  // Warnings go in the file too: whoever adds its hardware: section later sees that a constant hit a bound.
  const header = [
    `weft calibrate: fitted for ${scenario.name}`,
    `from ${sources}`,
    ...warnings.map((w) => `warning: ${w}`),
  ];
  writeFileAtomic(flags.out, overridesYaml(doc, header.join("\n")));
  if (flags.json) {
    const result = {
      links: links?.tiers ?? [],
      compute: compute ?? null,
      overrides: doc,
      out: flags.out,
      notes,
      warnings,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  for (const n of notes) process.stderr.write(`note: ${n}\n`);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  process.stdout.write(report(links, compute, flags.out));
}
