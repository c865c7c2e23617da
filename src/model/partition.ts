/**
 * Which layers each pipeline stage holds. Layers are split evenly into pp·vpp model chunks; with
 * interleaving, stage i holds chunks i, i + pp, i + 2pp, ... (Megatron-LM's virtual pipeline). The first
 * stage also holds the embedding, the last the output layer. When layers + 2 divides evenly but layers
 * does not, the first and the last chunk hold one layer fewer, to make room for the embedding and the
 * output layer (Llama 3's 126 layers on 16 stages; Megatron-LM's first/last-stage layer counts).
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

/** How layers split over `chunks` model chunks: "even", "short-ends" (first and last one fewer), or undefined. */
export function partitionKind(layers: number, chunks: number): "even" | "short-ends" | undefined {
  if (layers % chunks === 0) return "even";
  if (chunks > 1 && (layers + 2) % chunks === 0 && (layers + 2) / chunks >= 2) return "short-ends";
  return undefined;
}

/** First layer and layer count of chunk `index`. */
export function chunkRange(layers: number, chunks: number, index: number): { first: number; count: number } {
  if (partitionKind(layers, chunks) !== "short-ends") {
    const per = layers / chunks;
    return { first: index * per, count: per };
  }
  const per = (layers + 2) / chunks;
  const first = index === 0 ? 0 : index * per - 1;
  const count = index === 0 || index === chunks - 1 ? per - 1 : per;
  return { first, count };
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
