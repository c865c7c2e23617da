/** Transformer models: presets, parameter counts, FLOPs, kernels per layer, KV-cache bytes, memory per rank. */

export { MODEL_PRESET_NAMES, MODEL_PRESETS } from "../catalog/model-presets.js";
export { denseLayerCount, isMoeLayer, type LayerDims, layerDims, moeLayerCount } from "./dims.js";
export {
  executedFlopsPerToken,
  type FlopOptions,
  type FlopsByClass,
  forwardMatmulFlopsPerToken,
  layerForwardFlopsPerToken,
  megatronEq3Flops,
  modelFlopsPerToken,
  outputForwardFlopsPerToken,
} from "./flops.js";
export { kvBytesPerToken } from "./kv.js";
export {
  type AttentionKernel,
  backwardOps,
  embeddingForwardOps,
  layerForwardOps,
  outputForwardOps,
  type ShardSpec,
  selectiveRecomputeOps,
} from "./layer-ops.js";
export {
  BYTES_PER_PARAM,
  inFlightChunks,
  layerActivationBytes,
  type MemoryInputs,
  type MemoryPerRank,
  memoryPerRank,
  stageParams,
} from "./memory.js";
export {
  formatParameters,
  type ModelParameters,
  modelParameters,
  parameterBreakdown,
  parametersLine,
} from "./param-summary.js";
export { attentionParams, mlpParams, type ParameterCount, parameterCount } from "./params.js";
export { type ChunkLayers, chunkRange, partitionKind, stageChunks, warmupCount } from "./partition.js";
