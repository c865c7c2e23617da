/**
 * Fits the compute efficiency of a cluster's accelerator to its own training step times: one measured step
 * per layout (a training scenario and the step time its log shows). BF16 runs fit the BF16 curve's
 * gemmMax (flash = gemmMax × FLASH_TO_GEMM, as the built-in curves); FP8 runs then fit the FP8 GEMMs'
 * gemmMax with every other kernel on that BF16 curve. Each minimises the squared log error of the model's
 * step time by golden-section search on [0.1, 1.0]; one that ends at a bound is reported as a warning.
 * The network is the scenario's own, with the calibrated link constants when the same run fitted them.
 */
import path from "node:path";
import { FLASH_TO_GEMM } from "../catalog/efficiency.js";
import type { ComputePrecision, EfficiencyCurve } from "../catalog/types.js";
import type { ProtocolModel } from "../collectives/protocol.js";
import { efficiencyFor } from "../compute/efficiency.js";
import { WeftError } from "../errors.js";
import type { Scenario } from "../scenario/types.js";
import { setupNetwork } from "../workload/network.js";
import { collectiveCommModel, runTraining } from "../workload/training/index.js";
import { goldenSection } from "./golden-section.js";
import { atBound } from "./minimize.js";

export interface StepMeasurement {
  file: string;
  scenario: Scenario;
  stepTimeS: number;
}

export interface StepResidual {
  file: string;
  precision: ComputePrecision;
  measuredS: number;
  modelS: number;
  err: number;
}

export interface ComputeFit {
  accelerator: string;
  curves: Partial<Record<ComputePrecision, EfficiencyCurve>>;
  residuals: StepResidual[];
  /** gemmMax values that ended at a bound of [0.1, 1.0] (the step times do not fit the model there). */
  warnings: string[];
}

const GEMM = { min: 0.1, max: 1 };

interface Prepared {
  m: StepMeasurement;
  precision: ComputePrecision;
  deps: ReturnType<typeof depsOf>;
}

function depsOf(scenario: Scenario, model: ProtocolModel | undefined) {
  const net = setupNetwork(scenario);
  const ctx = model ? { ...net.collectives, model } : net.collectives;
  return { fabric: net.fabric, comm: collectiveCommModel(ctx) };
}

function stepTime(p: Prepared, bf16: EfficiencyCurve, fp8: EfficiencyCurve): number {
  return runTraining(p.m.scenario, { ...p.deps, options: { curve: bf16, fp8Curve: fp8 } }).stepTimeS;
}

function loss(list: Prepared[], bf16: EfficiencyCurve, fp8: EfficiencyCurve): number {
  let s = 0;
  for (const p of list) s += Math.log(stepTime(p, bf16, fp8) / p.m.stepTimeS) ** 2;
  return s;
}

export function fitCompute(steps: StepMeasurement[], model?: ProtocolModel): ComputeFit {
  const prepared: Prepared[] = steps.map((m) => {
    const w = m.scenario.workload;
    if (w.kind !== "training") {
      throw new WeftError(
        `${m.file}: a step time needs a training scenario; this one has a ${w.kind} workload`,
      );
    }
    return { m, precision: w.precision, deps: depsOf(m.scenario, model) };
  });
  const accelerators = new Set(
    steps.map((s) => s.scenario.cluster.groups.find((g) => g.kind === "accelerator")?.accelerator?.id),
  );
  if (accelerators.size !== 1) {
    throw new WeftError(
      `step times from ${accelerators.size} accelerator types (${[...accelerators].join(", ")}); expected runs on one`,
    );
  }
  const acc = steps[0].scenario.cluster.groups.find((g) => g.kind === "accelerator")?.accelerator;
  if (!acc) throw new WeftError(`${steps[0].file}: no accelerator group`);
  let bf16 = efficiencyFor(acc, "bf16");
  let fp8 = efficiencyFor(acc, "fp8");
  const curves: ComputeFit["curves"] = {};
  const bf16Runs = prepared.filter((p) => p.precision === "bf16");
  const fp8Runs = prepared.filter((p) => p.precision === "fp8");
  // A fitted curve names its own fit: the built-in curve's source describes another cluster's data.
  const fittedOn = `weft calibrate on ${[...new Set(steps.map((s) => path.basename(s.file)))].join(", ")}`;
  const withGemm = (c: EfficiencyCurve, g: number, flash: boolean): EfficiencyCurve => ({
    ...c,
    gemmMax: g,
    ...(flash ? { flash: g * FLASH_TO_GEMM } : {}),
    source: fittedOn,
  });
  if (bf16Runs.length > 0) {
    const g = goldenSection((x) => loss(bf16Runs, withGemm(bf16, x, true), fp8), GEMM.min, GEMM.max);
    bf16 = withGemm(bf16, g, true);
    curves.bf16 = bf16;
  }
  if (fp8Runs.length > 0) {
    const g = goldenSection((x) => loss(fp8Runs, bf16, withGemm(fp8, x, false)), GEMM.min, GEMM.max);
    fp8 = withGemm(fp8, g, false);
    curves.fp8 = fp8;
  }
  const residuals = prepared.map((p) => {
    const modelS = stepTime(p, bf16, fp8);
    return {
      file: p.m.file,
      precision: p.precision,
      measuredS: p.m.stepTimeS,
      modelS,
      err: modelS / p.m.stepTimeS - 1,
    };
  });
  return { accelerator: acc.id, curves, residuals, warnings: gemmWarnings(acc.id, curves) };
}

function gemmWarnings(accelerator: string, curves: ComputeFit["curves"]): string[] {
  const out: string[] = [];
  for (const [precision, c] of Object.entries(curves)) {
    const at = c && atBound(c.gemmMax, GEMM.min, GEMM.max);
    if (!c || !at) continue;
    out.push(
      `${accelerator} ${precision}: gemmMax ${c.gemmMax.toFixed(3)} is at the ${at} bound of its search range [${GEMM.min}, ${GEMM.max}]; the measurements do not fit this model within its bounds (check that each --step scenario is the layout measured, and its step time the one its log shows)`,
    );
  }
  return out;
}
