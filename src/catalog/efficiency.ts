/**
 * Kernel efficiency curves per accelerator and precision, each fitted once on public end-to-end training
 * measurements in data/calibration/ (docs/compute-model.md gives each procedure and its residuals).
 * Accelerators without a curve of their own use A100_EFFICIENCY's shares of their own peaks (a stated
 * assumption); a scenario's `hardware:` section may give any accelerator its own curves.
 */
import type { EfficiencyCurve } from "./types.js";

/**
 * A100 BF16 (FP16 in the paper: the same tensor-core peak), fitted on Megatron-LM's SC'21 weak-scaling
 * table (data/calibration/megatron_sc21_a100_weak_scaling.csv, Narayanan et al. 2021, Table 1) by
 * test/training/sc21-fit.ts: gemmMax, gemmHalfDim and memory by grid search (largest row error 5.0%).
 * `flash` is not in that data (Megatron-LM ran unfused attention in 2021): gemmMax × 0.7, the ratio of
 * FlashAttention-2's A100 throughput (50–73% of peak, Dao 2023, §4.1) to cuBLAS GEMMs (80–90%).
 */
export const A100_EFFICIENCY: EfficiencyCurve = {
  gemmMax: 0.68,
  gemmHalfDim: 16,
  flash: 0.48,
  memory: 0.7,
  launchS: 0,
  source:
    "Fitted on data/calibration/megatron_sc21_a100_weak_scaling.csv (all 10 rows; test/training/sc21-fit.ts)",
};

/** `flash` as a share of `gemmMax` where the data has no fused-attention measurement (see A100_EFFICIENCY). */
export const FLASH_TO_GEMM = 0.7;

/**
 * H100 BF16, fitted in-sample on the BF16 rows of NVIDIA's DGX Cloud benchmarking recipes
 * (data/calibration/dgxc_h100_training_405b_340b.csv: Llama 3.1 405B at 32–2,304 GPUs, Nemotron-4 340B at
 * 128–2,048 GPUs; NeMo with fused attention) by test/calibration/dgxc-fit.ts: gemmMax and memory by grid
 * search (memory does not move these compute-bound steps: it stays at the A100 value), gemmHalfDim kept from
 * the A100 fit, flash = gemmMax × FLASH_TO_GEMM. Largest in-sample step-time error 5.6%, RMS 3.9% (nine
 * rows; the 128-GPU Nemotron rows do not fit the memory model, docs/compute-model.md).
 */
export const H100_BF16_EFFICIENCY: EfficiencyCurve = {
  gemmMax: 0.57,
  gemmHalfDim: 16,
  flash: 0.399,
  memory: 0.7,
  launchS: 0,
  source:
    "Fitted in-sample on the bf16 rows of data/calibration/dgxc_h100_training_405b_340b.csv (test/calibration/dgxc-fit.ts)",
};

/**
 * H100 FP8 GEMMs (Transformer Engine's FP8 recipe: the weight GEMMs at the FP8 rate, attention and
 * element-wise kernels in BF16 on H100_BF16_EFFICIENCY), fitted in-sample on the fp8 rows of the same file:
 * gemmMax by grid search with every other kernel on the BF16 curve. Largest in-sample error 10.6% (the
 * 2,304-GPU Llama row, whose published MFU drops 3.6 points from 1,152 GPUs), RMS 7.1%.
 */
export const H100_FP8_EFFICIENCY: EfficiencyCurve = {
  ...H100_BF16_EFFICIENCY,
  gemmMax: 0.46,
  source:
    "Fitted in-sample on the fp8 rows of data/calibration/dgxc_h100_training_405b_340b.csv (test/calibration/dgxc-fit.ts)",
};
