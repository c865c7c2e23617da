/**
 * Inference serving: requests, pools, step times, the serving simulation with KV movement on the shared
 * clock and network, results.
 */

export { makePrng, nextExponential, nextNormal, nextUint32, nextUnit, type Prng } from "../../prng.js";
export { parseTrace, type TraceRows } from "../../scenario/request-trace.js";
export { meanLength, sampleLength } from "./lengths.js";
export {
  HBM_UTILIZATION,
  type PlacementWindow,
  type PoolPlan,
  type PoolRole,
  planPools,
  weightsPerAccelerator,
} from "./pools.js";
export { type RequestRecords, requestRecords } from "./records.js";
export { makeRequests, type RequestTable } from "./requests.js";
export {
  type InferenceDeps,
  type InferenceRun,
  type InferenceService,
  type InferenceServiceOptions,
  runInference,
  simulateInference,
  startInferenceService,
} from "./run.js";
export {
  causalPairs,
  makeStepCost,
  prefillTime,
  type StepBreakdown,
  type StepCost,
  stepTime,
} from "./step-cost.js";
