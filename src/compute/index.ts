/** The compute model: roofline time of kernels with achievable-efficiency curves per accelerator. */

export {
  A100_EFFICIENCY,
  type EfficiencyCurve,
  efficiencyFor,
  gemmEfficiency,
} from "./efficiency.js";
export { type ComputeTarget, computeTarget, opPeak, opsTime, opsTimeByClass, opTime } from "./roofline.js";
export type { ComputeOp, Kernel, OpClass } from "./types.js";
