/**
 * Achievable efficiency of kernels on an accelerator, as fractions of its dense peak FLOP/s and HBM
 * bandwidth: the catalog's curve for the accelerator and precision (src/catalog/efficiency.ts, each fitted
 * on public end-to-end measurements; docs/compute-model.md), else the default A100 curve.
 */
import { A100_EFFICIENCY } from "../catalog/efficiency.js";
import type { AcceleratorSpec, ComputePrecision, EfficiencyCurve } from "../catalog/types.js";

export type { EfficiencyCurve } from "../catalog/types.js";
export { A100_EFFICIENCY };

/**
 * The curve kernels of `precision` run on: the accelerator's own for that precision, over its BF16 curve,
 * over the default (A100) curve — each level filling the fields the one above leaves out.
 */
export function efficiencyFor(
  accelerator: AcceleratorSpec,
  precision: ComputePrecision = "bf16",
): EfficiencyCurve {
  const own = accelerator.efficiency;
  const bf16 = { ...A100_EFFICIENCY, ...own?.bf16 };
  return precision === "fp8" ? { ...bf16, ...own?.fp8 } : bf16;
}

/** Efficiency of an m×k·k×n GEMM under `curve`. */
export function gemmEfficiency(curve: EfficiencyCurve, m: number, n: number, k: number): number {
  const d = Math.min(m, n, k);
  return (curve.gemmMax * d) / (d + curve.gemmHalfDim);
}
