/**
 * KV-cache bytes per token: 2 · layers · kvHeads · headDim · bytes per element for standard and grouped-query
 * attention (Llama 3 70B in BF16: 2·80·8·128·2 = 327,680 B); MLA caches one compressed latent of
 * kvLoraRank + ropeDim values per layer instead (DeepSeek-V3: 512 + 64).
 */
import type { ModelSpec } from "../scenario/types.js";

export function kvBytesPerToken(model: ModelSpec, bytesPerElement = 2): number {
  const perLayer = model.mla ? model.mla.kvLoraRank + model.mla.ropeDim : 2 * model.kvHeads * model.headDim;
  return model.layers * perLayer * bytesPerElement;
}
