/**
 * Bytes one stored element takes at each precision. The 4-bit formats carry their block scales: NVFP4 an
 * FP8 (E4M3) scale per 16 values, 4.5 bits; MXFP4 an E8M0 scale per 32 values, 4.25 bits (NVIDIA,
 * "Introducing NVFP4 for Efficient and Accurate Low-Precision Inference", 2025; OCP Microscaling Formats
 * (MX) Specification v1.0, 2023). The per-tensor FP32 scale NVFP4 adds is negligible.
 */
import type { ServingPrecision } from "../scenario/types.js";

export const ELEMENT_BYTES: Record<ServingPrecision, number> = {
  bf16: 2,
  fp8: 1,
  nvfp4: 0.5 + 1 / 16,
  mxfp4: 0.5 + 1 / 32,
};

/** 4-bit block-scaled weights (and the activations their GEMMs take). */
export function isFp4(p: ServingPrecision): p is "nvfp4" | "mxfp4" {
  return p === "nvfp4" || p === "mxfp4";
}
