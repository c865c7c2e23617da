/** Transformer models: presets, parameter counts, FLOPs, kernels per layer, KV-cache bytes, memory per rank. */
export { MODEL_PRESETS, MODEL_PRESET_NAMES } from "./presets.js";
export { layerDims, isMoeLayer, moeLayerCount, denseLayerCount, type LayerDims } from "./dims.js";
export { parameterCount, attentionParams, mlpParams, type ParameterCount } from "./params.js";
export {
  layerForwardFlopsPerToken,
  outputForwardFlopsPerToken,
  forwardMatmulFlopsPerToken,
  modelFlopsPerToken,
  executedFlopsPerToken,
  megatronEq3Flops,
  type FlopsByClass,
  type FlopOptions,
} from "./flops.js";
export {
  layerForwardOps,
  embeddingForwardOps,
  outputForwardOps,
  backwardOps,
  selectiveRecomputeOps,
  type AttentionKernel,
  type ShardSpec,
} from "./layer-ops.js";
export { kvBytesPerToken } from "./kv.js";
export { stageChunks, chunkRange, partitionKind, warmupCount, type ChunkLayers } from "./partition.js";
export {
  memoryPerRank,
  layerActivationBytes,
  stageParams,
  inFlightChunks,
  BYTES_PER_PARAM,
  type MemoryInputs,
  type MemoryPerRank,
} from "./memory.js";
