/** Inference serving: requests, pools, step times, the serving simulation with KV movement, results. */
export { runInference, simulateInference, type InferenceDeps, type InferenceOptions, type InferenceRun } from "./run.js";
export { writeRequestsCsv, requestRecords, type RequestRecords } from "./records.js";
export { formatInferenceReport } from "./format.js";
export { planPools, weightsPerAccelerator, HBM_UTILIZATION, type PoolPlan, type PoolRole } from "./pools.js";
export { makeRequests, type RequestTable } from "./requests.js";
export { parseTrace, type TraceRows } from "./trace.js";
export { makeStepCost, stepTime, prefillTime, causalPairs, type StepCost, type StepBreakdown } from "./step-cost.js";
export { makePrng, nextUint32, nextUnit, nextExponential, nextNormal, type Prng } from "./prng.js";
export { sampleLength, meanLength } from "./lengths.js";
