/** LLM training: the distributed step simulator, its network interface, and its reports. */

export {
  type AlphaBetaSpec,
  alphaBetaCommModel,
  COLLECTIVE_OVERHEAD_S,
  type CommModel,
  type CommTime,
  collectiveCommModel,
  type FabricTier,
  fabricCommModels,
  jobGroup,
  nonBlockingScenario,
  SCALE_OUT_EFFICIENCY,
  SCALE_UP_EFFICIENCY,
  STEP_OVERHEAD_S,
  scenarioAlphaBetaSpec,
  scenarioCommModel,
  scenarioPositions,
} from "./comm.js";
export {
  cpGroup,
  dpGroup,
  epGroup,
  expertDpGroup,
  ppPair,
  type RankLayout,
  rankLayout,
  rankOf,
  tpGroup,
} from "./placement.js";
export { type TrainingOptions, type TrainingPlan, trainingPlan } from "./plan.js";
export {
  bubbleFraction1F1B,
  type PipelineInput,
  type PipelineResult,
  simulatePipeline,
  warmupCount,
} from "./schedule.js";
export { runTraining, type StepOutcome, simulateStep, simulateTraining, type TrainingDeps } from "./step.js";
