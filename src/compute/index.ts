/** The compute model: roofline time of kernels with achievable-efficiency curves per accelerator. */
export type { ComputeOp, OpClass, Kernel } from "./types.js";
export { opTime, opsTime, opsTimeByClass, opPeak, computeTarget, type ComputeTarget } from "./roofline.js";
export { A100_EFFICIENCY, EFFICIENCY, efficiencyFor, gemmEfficiency, type EfficiencyCurve } from "./efficiency.js";
