/**
 * What the compute model times: one kernel on one accelerator. Workloads (training, inference) describe
 * their work as lists of these; `opTime` (roofline.ts) turns each into seconds.
 */

/** How an op is reported: matrix multiplies of weights, attention score/value products, everything else. */
export type OpClass = "gemm" | "attention" | "elementwise";

/**
 * How an op runs, which picks its efficiency: `gemm` (a cuBLAS-style matrix multiply, possibly batched),
 * `flash` (a fused attention kernel, FlashAttention-style), `memory` (an element-wise or reduction kernel,
 * bound by HBM bandwidth).
 */
export type Kernel = "gemm" | "flash" | "memory";

export interface ComputeOp {
  /** Short name: `qkv`, `fc1`, `softmax`, `flash-attn`, ... (with `.dgrad` / `.wgrad` / `.bwd` in backward). */
  name: string;
  cls: OpClass;
  kernel: Kernel;
  /** Counted FLOPs (attention counted over the full s×s score matrix, see docs/compute-model.md). */
  flops: number;
  /** HBM bytes read and written. */
  bytes: number;
  /** GEMM shape: `batch` independent products of an m×k by a k×n matrix. */
  m?: number;
  n?: number;
  k?: number;
  batch?: number;
  /** Fraction of `flops` the kernel actually executes (causal FlashAttention skips the masked half: 0.5). */
  executed?: number;
  /** Runs at FP8 tensor-core rate (the GEMMs of an FP8 recipe); otherwise BF16. */
  fp8?: boolean;
  /** Runs at the FP4 tensor-core rate (NVFP4/MXFP4 weights and activations), on accelerators that have one. */
  fp4?: boolean;
}
