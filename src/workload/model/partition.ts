/**
 * Which layers each pipeline stage holds. Layers are split evenly into pp·vpp model chunks; with
 * interleaving, stage i holds chunks i, i + pp, i + 2pp, ... (Megatron-LM's virtual pipeline).
 * The first stage also holds the embedding, the last the output layer.
 */
import type { ModelSpec } from "../../scenario/types.js";
import { isMoeLayer } from "./dims.js";

export interface ChunkLayers {
  /** Global chunk index (position in the model, 0..pp·vpp−1). */
  index: number;
  dense: number;
  moe: number;
  embedding: boolean;
  output: boolean;
}

/** The vpp chunks of stage `stage`, in execution order. Requires layers % (pp·vpp) == 0 (checked upstream). */
export function stageChunks(model: ModelSpec, pp: number, vpp: number, stage: number): ChunkLayers[] {
  const chunks = pp * vpp;
  const perChunk = model.layers / chunks;
  const out: ChunkLayers[] = [];
  for (let v = 0; v < vpp; v++) {
    const index = v * pp + stage;
    let moe = 0;
    for (let l = index * perChunk; l < (index + 1) * perChunk; l++) if (isMoeLayer(model, l)) moe++;
    out.push({ index, dense: perChunk - moe, moe, embedding: index === 0, output: index === chunks - 1 });
  }
  return out;
}
