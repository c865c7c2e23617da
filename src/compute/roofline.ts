/**
 * Roofline time of one kernel: the larger of its compute time at the achievable share of peak FLOP/s and
 * its memory time at the achievable share of HBM bandwidth, plus a fixed per-kernel cost.
 *   t = max(F_executed / (η_op · P), bytes / (η_mem · B_hbm)) + t_launch
 * P is the dense BF16 peak, or the FP8 (FP4) peak for FP8 (FP4) GEMMs on accelerators that have one, and
 * η comes from the curve of that precision (FP4 GEMMs use the FP8 curve: no public FP4 end-to-end
 * measurement to fit one on yet). See docs/compute-model.md.
 */
import type { AcceleratorSpec } from "../catalog/types.js";
import { type EfficiencyCurve, efficiencyFor, gemmEfficiency } from "./efficiency.js";
import type { ComputeOp } from "./types.js";

export interface ComputeTarget {
  accelerator: AcceleratorSpec;
  /** BF16 kernels (and everything that is not an FP8 GEMM). */
  curve: EfficiencyCurve;
  /** FP8 GEMMs, on accelerators with an FP8 rate. */
  fp8Curve: EfficiencyCurve;
}

/** The accelerator's catalog curves, or the given ones in their place. */
export function computeTarget(
  accelerator: AcceleratorSpec,
  curve?: EfficiencyCurve,
  fp8Curve?: EfficiencyCurve,
): ComputeTarget {
  return {
    accelerator,
    curve: curve ?? efficiencyFor(accelerator, "bf16"),
    fp8Curve: fp8Curve ?? (curve && !accelerator.efficiency?.fp8 ? curve : efficiencyFor(accelerator, "fp8")),
  };
}

/** Peak FLOP/s an op runs against. */
export function opPeak(target: ComputeTarget, op: ComputeOp): number {
  const peak = target.accelerator.peakFlops;
  if (op.fp4 && peak.fp4) return peak.fp4;
  return (op.fp8 || op.fp4) && peak.fp8 ? peak.fp8 : peak.bf16;
}

/** Seconds one kernel takes. */
export function opTime(target: ComputeTarget, op: ComputeOp): number {
  const { curve, accelerator } = target;
  const memoryS = op.bytes / (curve.memory * accelerator.hbmBandwidth);
  let computeS = 0;
  if (op.kernel === "gemm") {
    const low = (op.fp8 || op.fp4) && accelerator.peakFlops.fp8 !== undefined;
    const eff = gemmEfficiency(low ? target.fp8Curve : curve, op.m ?? 1, op.n ?? 1, op.k ?? 1);
    computeS = (op.flops * (op.executed ?? 1)) / (eff * opPeak(target, op));
  } else if (op.kernel === "flash") {
    computeS = (op.flops * (op.executed ?? 1)) / (curve.flash * opPeak(target, op));
  }
  return Math.max(computeS, memoryS) + curve.launchS;
}

/** Seconds a list of kernels takes, run one after another. */
export function opsTime(target: ComputeTarget, ops: readonly ComputeOp[]): number {
  let t = 0;
  for (const op of ops) t += opTime(target, op);
  return t;
}

/** Seconds by op class, for breakdowns. */
export function opsTimeByClass(
  target: ComputeTarget,
  ops: readonly ComputeOp[],
): Record<ComputeOp["cls"], number> {
  const out = { gemm: 0, attention: 0, elementwise: 0 };
  for (const op of ops) out[op.cls] += opTime(target, op);
  return out;
}
