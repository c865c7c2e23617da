/** Collectives: algorithms → transfer schedules, the protocol model, the tuner, execution. */
export type {
  Algorithm,
  AlphaCounts,
  CollectiveContext,
  CollectiveTime,
  Phase,
  PhaseTime,
  Protocol,
  Schedule,
  StepTier,
} from "./types.js";
export { ALGORITHMS, PROTOCOLS } from "./types.js";
export {
  buildPhases,
  buildSchedule,
  bytesReceivedPerRank,
  bytesSentPerRank,
  type BuildOptions,
} from "./schedule.js";
export { rankLayout, ranksSignature, type RankLayout } from "./layout.js";
export { MODEL, efficiency, pipelineChunks } from "./protocol.js";
export { candidates, tune, type Choice } from "./tuner.js";
export {
  closedFormStep,
  closedFormTimer,
  engineTimer,
  phaseLoads,
  timePhases,
  wireFlows,
} from "./evaluate.js";
export { busBandwidthFactor } from "./busbw.js";
export { collectiveContext, collectiveTime, inNetworkOf, runCollectiveWorkload, workloadRanks } from "./run.js";
export { formatCollectiveTable } from "./format.js";
