/** Collectives: algorithms → transfer schedules, the protocol model, the tuner, execution. */

export { busBandwidthFactor } from "./busbw.js";
export {
  DEEPEP,
  type DeepEpCall,
  type DeepEpGroup,
  deepEpBytes,
  deepEpReportedBandwidth,
  deepEpTime,
} from "./deepep.js";
export {
  closedFormStep,
  closedFormTimer,
  engineTimer,
  phaseLoads,
  sharedBottleneck,
  timePhases,
  wireFlows,
} from "./evaluate.js";
export { type GroupSet, groupSet, groupsSignature, type MergedFlows, mergedFlows } from "./group-set.js";
export { type RankLayout, rankLayout, ranksSignature } from "./layout.js";
export {
  calibratedModel,
  efficiency,
  MODEL,
  type ProtocolModel,
  pipelineChunks,
  type TierCalibration,
} from "./protocol.js";
export {
  collectiveContext,
  collectiveTime,
  concurrentCollectiveTime,
  inNetworkOf,
  runCollectiveWorkload,
  workloadRanks,
} from "./run.js";
export {
  type BuildOptions,
  buildPhases,
  buildSchedule,
  bytesReceivedPerRank,
  bytesSentPerRank,
} from "./schedule.js";
export { type SharedLinks, sharedLinks } from "./shared-links.js";
export { type Choice, candidates, tune } from "./tuner.js";
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
