/**
 * Which layers each pipeline stage holds. Layers split over pp·vpp model chunks; with interleaving, stage i
 * holds chunks i, i + pp, i + 2pp, ... (Megatron-LM's virtual pipeline). The first chunk also holds the
 * embedding, the last the output layer. When the layers do not divide evenly, every chunk gets ⌊L/c⌋ or
 * ⌈L/c⌉ layers and the first and the last are the last to get an extra one, to make room for the embedding
 * and the output layer: Llama 3's 126 layers on 16 stages hold 7, 8 × 14, 7 (Megatron-LM's first/last-stage
 * layer counts); DeepSeek-V3's 61 on 16 hold 3, 4 × 13, 3, 3 (an uneven layout, as Megatron-Core's
 * pipeline layout option allows).
 */
import type { ModelSpec } from "../scenario/types.js";
import { isMoeLayer } from "./dims.js";

export interface ChunkLayers {
  /** Global chunk index (position in the model, 0..pp·vpp−1). */
  index: number;
  dense: number;
  moe: number;
  embedding: boolean;
  output: boolean;
}

/**
 * How layers split over `chunks` model chunks: "even", "short-ends" (the first and last chunk one layer
 * fewer than the rest), "balanced" (⌊L/c⌋ or ⌈L/c⌉ each, the ends last to get an extra layer), or undefined
 * when there are more chunks than layers.
 */
export function partitionKind(
  layers: number,
  chunks: number,
): "even" | "short-ends" | "balanced" | undefined {
  if (chunks < 1 || layers < chunks) return undefined;
  if (layers % chunks === 0) return "even";
  if (chunks > 2 && layers % chunks === chunks - 2) return "short-ends";
  return "balanced";
}

/** Layers in chunk `index`: ⌊L/c⌋, plus one for the first L mod c chunks taken middle ones first. */
function chunkCount(layers: number, chunks: number, index: number): number {
  const base = Math.floor(layers / chunks);
  const extra = layers - base * chunks;
  // Order in which chunks get an extra layer: 1 .. c−2, then the first, then the last.
  const order =
    chunks <= 2 ? index : index === 0 ? chunks - 2 : index === chunks - 1 ? chunks - 1 : index - 1;
  return base + (order < extra ? 1 : 0);
}

/** First layer and layer count of chunk `index`. */
export function chunkRange(layers: number, chunks: number, index: number): { first: number; count: number } {
  let first = 0;
  for (let i = 0; i < index; i++) first += chunkCount(layers, chunks, i);
  return { first, count: chunkCount(layers, chunks, index) };
}

/** The vpp chunks of stage `stage`, in execution order (the partition is checked upstream). */
export function stageChunks(model: ModelSpec, pp: number, vpp: number, stage: number): ChunkLayers[] {
  const chunks = pp * vpp;
  const out: ChunkLayers[] = [];
  for (let v = 0; v < vpp; v++) {
    const index = v * pp + stage;
    const { first, count } = chunkRange(model.layers, chunks, index);
    let moe = 0;
    for (let l = first; l < first + count; l++) if (isMoeLayer(model, l)) moe++;
    out.push({ index, dense: count - moe, moe, embedding: index === 0, output: index === chunks - 1 });
  }
  return out;
}

/** Warm-up forwards of stage s before its first backward (Megatron-LM schedules.py). */
export function warmupCount(pp: number, vpp: number, m: number, s: number): number {
  const total = m * vpp;
  if (vpp === 1) return Math.min(pp - s - 1, m);
  if (m === pp) return total;
  return Math.min((pp - s - 1) * 2 + (vpp - 1) * pp, total);
}
