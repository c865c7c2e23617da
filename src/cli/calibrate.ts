/**
 * `weft calibrate <scenario> [nccl-tests files...] [--step FILE=TIME ...]`: fits a cluster's link
 * constants (link efficiency and α per tier) to its nccl-tests runs and its accelerator's compute
 * efficiency to its training step times, prints the fit and every residual, and writes the catalog
 * override file (a `hardware:` section) that scenarios of the same cluster take as their own.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fitCompute, type StepMeasurement } from "../calibrate/fit-compute.js";
import { type CalibrationRun, fitLinks, type LinkFit } from "../calibrate/fit-links.js";
import { parseNcclTests } from "../calibrate/nccl-tests.js";
import { overridesDocument, overridesYaml } from "../calibrate/overrides.js";
import { WeftError } from "../errors.js";
import { checkOutputFile, writeFileAtomic } from "../files/write.js";
import { loadScenario } from "../scenario/load.js";
import type { CollectiveOp } from "../scenario/types.js";
import { formatTime, parseQuantity } from "../units/index.js";
import { setupNetwork } from "../workload/network.js";

export interface CalibrateFlags {
  op?: string;
  ranks?: string;
  step?: string[];
  out: string;
  json?: boolean;
}

const OPS = ["all-reduce", "all-gather", "reduce-scatter", "all-to-all", "broadcast", "reduce", "send-recv"];

function readRun(file: string, flags: CalibrateFlags): CalibrationRun {
  const run = parseNcclTests(readFileSync(file, "utf8"), file);
  const op = (flags.op as CollectiveOp | undefined) ?? run.op;
  if (!op || !OPS.includes(op)) {
    throw new WeftError(
      `${file}: which collective is this? The file does not say (no "# Collective test starting:" line, no op in its name); pass --op (one of ${OPS.join(", ")})`,
    );
  }
  const ranks = flags.ranks ? Number(flags.ranks) : run.ranks;
  if (!ranks || !Number.isInteger(ranks) || ranks < 2) {
    throw new WeftError(
      `${file}: how many ranks ran it? The file lists none; pass --ranks N (a whole number ≥ 2)`,
    );
  }
  return { ...run, op, ranks };
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
  return { file, scenario: loadScenario(file), stepTimeS };
}

const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;

function report(
  links: LinkFit | undefined,
  compute: ReturnType<typeof fitCompute> | undefined,
  out: string,
): string {
  const lines: string[] = [];
  for (const t of links?.tiers ?? []) {
    const worst = Math.max(...t.residuals.map((r) => Math.abs(r.err)));
    lines.push(
      `${t.tier}: link efficiency ${t.linkEfficiency.toFixed(3)}, α ${formatTime(t.stepLatencyS)} (Simple) — ${t.residuals.length} sizes, largest residual ${pct(worst)}`,
    );
    for (const r of t.residuals) {
      lines.push(
        `  ${path.basename(r.file).padEnd(28)} ${String(r.bytes).padStart(12)} B  measured ${formatTime(r.measuredS).padStart(9)}  model ${formatTime(r.modelS).padStart(9)}  ${pct(r.err)}`,
      );
    }
  }
  if (compute) {
    for (const [precision, c] of Object.entries(compute.curves)) {
      if (c)
        lines.push(
          `${compute.accelerator} ${precision}: gemmMax ${c.gemmMax.toFixed(3)}, flash ${c.flash.toFixed(3)}`,
        );
    }
    for (const r of compute.residuals) {
      lines.push(
        `  ${path.basename(r.file).padEnd(28)} ${r.precision}  measured ${formatTime(r.measuredS).padStart(9)}  model ${formatTime(r.modelS).padStart(9)}  ${pct(r.err)}`,
      );
    }
  }
  lines.push(`wrote ${out} (add its hardware: section to scenarios of this cluster)`);
  return `${lines.join("\n")}\n`;
}

export async function calibrateCommand(
  scenarioFile: string,
  files: string[],
  flags: CalibrateFlags,
): Promise<void> {
  checkOutputFile(flags.out, "--out");
  const steps = (flags.step ?? []).map(readStep);
  if (files.length === 0 && steps.length === 0) {
    throw new WeftError("nothing to fit: give nccl-tests output files and/or --step SCENARIO=TIME");
  }
  const scenario = loadScenario(scenarioFile);
  const runs = files.map((f) => readRun(f, flags));
  const net = setupNetwork({ ...scenario, simulation: { ...scenario.simulation, fidelity: "analytical" } });
  const links = runs.length > 0 ? fitLinks(net.collectives, runs) : undefined;
  const compute = steps.length > 0 ? fitCompute(steps, links?.model) : undefined;
  const sources = [...files, ...steps.map((s) => s.file)].map((f) => path.basename(f)).join(", ");
  const doc = overridesDocument(scenario, links, compute, sources);
  writeFileAtomic(
    flags.out,
    overridesYaml(doc, `weft calibrate: fitted for ${scenario.name}\nfrom ${sources}`),
  );
  if (flags.json) {
    const result = {
      links: links?.tiers ?? [],
      compute: compute ?? null,
      overrides: doc,
      out: flags.out,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  process.stdout.write(report(links, compute, flags.out));
}
