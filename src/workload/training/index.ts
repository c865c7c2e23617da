/** LLM training: the distributed step simulator, its network interface, and its reports. */
export { runTraining, simulateStep, fabricSummary, type TrainingDeps, type StepOutcome } from "./step.js";
export { trainingPlan, type TrainingOptions, type TrainingPlan } from "./plan.js";
export {
  alphaBetaCommModel,
  scenarioAlphaBetaSpec,
  scenarioCommModel,
  scenarioPositions,
  collectiveCommModel,
  fabricCommModels,
  nonBlockingScenario,
  jobGroup,
  SCALE_UP_EFFICIENCY,
  SCALE_OUT_EFFICIENCY,
  COLLECTIVE_OVERHEAD_S,
  STEP_OVERHEAD_S,
  type AlphaBetaSpec,
  type CommModel,
  type CommTime,
  type FabricTier,
} from "./comm.js";
export { rankLayout, rankOf, tpGroup, cpGroup, dpGroup, epGroup, expertDpGroup, ppPair, type RankLayout } from "./placement.js";
export { simulatePipeline, warmupCount, bubbleFraction1F1B, type PipelineInput, type PipelineResult } from "./schedule.js";
export { formatTrainingReport, formatTimelineChart } from "./report.js";
export { trainingTimelineSvg } from "./svg.js";
