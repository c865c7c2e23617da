/**
 * Achievable efficiency of kernels on an accelerator, as fractions of its dense peak FLOP/s and HBM
 * bandwidth. Calibrated once, for all cases, on Megatron-LM's SC'21 weak-scaling table
 * (data/calibration/megatron_sc21_a100_weak_scaling.csv, Narayanan et al. 2021, Table 1) by
 * test/training/sc21-fit.ts; docs/compute-model.md gives the procedure and the fitted values.
 */
import type { AcceleratorSpec } from "../catalog/types.js";

export interface EfficiencyCurve {
  /** Fraction of dense peak a large GEMM reaches. */
  gemmMax: number;
  /**
   * GEMM size scale: efficiency = gemmMax · d / (d + gemmHalfDim) with d the smallest of m, n, k (small
   * dimensions leave tensor-core tiles and SMs idle).
   */
  gemmHalfDim: number;
  /** Fraction of dense peak a fused (FlashAttention-style) attention kernel reaches on the FLOPs it executes. */
  flash: number;
  /** Fraction of HBM bandwidth element-wise kernels reach. */
  memory: number;
  /** Fixed cost per kernel (launch and tail), seconds. */
  launchS: number;
}

/**
 * Fitted on the SC'21 A100 rows (see the header): gemmMax, gemmHalfDim and memory by grid search (largest
 * row error 5.0%). `flash` is not in that data (Megatron-LM ran unfused attention in 2021): it is gemmMax ×
 * 0.7, the ratio of FlashAttention-2's A100 throughput (50–73% of peak, Dao 2023, §4.1) to cuBLAS GEMMs
 * (80–90%) reported in the same paper.
 */
export const A100_EFFICIENCY: EfficiencyCurve = {
  gemmMax: 0.68,
  gemmHalfDim: 16,
  flash: 0.48,
  memory: 0.7,
  launchS: 0,
};

/**
 * Per-accelerator curves. Only the A100 has public end-to-end measurements in the reference data; every
 * other accelerator uses the A100 fractions of its own peaks (a stated assumption: the same software stack
 * reaches the same share of a newer chip's peak).
 */
export const EFFICIENCY: Record<string, EfficiencyCurve> = {
  "A100-SXM4-80GB": A100_EFFICIENCY,
};

export function efficiencyFor(accelerator: AcceleratorSpec): EfficiencyCurve {
  return EFFICIENCY[accelerator.id] ?? A100_EFFICIENCY;
}

/** Efficiency of an m×k·k×n GEMM under `curve`. */
export function gemmEfficiency(curve: EfficiencyCurve, m: number, n: number, k: number): number {
  const d = Math.min(m, n, k);
  return (curve.gemmMax * d) / (d + curve.gemmHalfDim);
}
