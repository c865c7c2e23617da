/**
 * The parameter counts a person checks a model by: total and active (per token), and the pieces they add
 * up from, in billions — so a custom model with a gated MLP left out or a wrong expert size shows at once
 * next to the published figure (`weft validate --print`, the training and serving reports).
 */
import type { ModelSpec } from "../scenario/types.js";
import { denseLayerCount, moeLayerCount } from "./dims.js";
import { parameterCount } from "./params.js";

/** Total and active parameters, as the JSON results carry them. */
export interface ModelParameters {
  total: number;
  active: number;
}

export function modelParameters(model: ModelSpec): ModelParameters {
  const p = parameterCount(model);
  return { total: p.total, active: p.active };
}

/** `405.85 B`, `8.03 B`, `124.4 M`: parameters in the units model cards use. */
export function formatParameters(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  return n.toLocaleString("en-US");
}

/** `405.85 B total, 405.85 B active`, the one-line form of the reports. */
export function parametersLine(p: ModelParameters): string {
  return `${formatParameters(p.total)} total, ${formatParameters(p.active)} active per token`;
}

/** The printed breakdown: totals, then each piece with how many times it counts. */
export function parameterBreakdown(model: ModelSpec): Record<string, string> {
  const p = parameterCount(model);
  const dense = denseLayerCount(model);
  const moe = moeLayerCount(model);
  const out: Record<string, string> = {
    total: formatParameters(p.total),
    active: formatParameters(p.active),
    embedding: formatParameters(p.embedding),
    output: formatParameters(p.output),
    attentionPerLayer: `${formatParameters(p.attentionPerLayer)} × ${model.layers} layers`,
  };
  if (dense > 0) out.mlpPerDenseLayer = `${formatParameters(p.denseMlpPerLayer)} × ${dense} layers`;
  if (moe > 0 && model.moe) {
    out.perExpert = formatParameters(p.perExpert);
    out.moePerLayer = `${formatParameters(p.moeMlpPerLayer)} × ${moe} layers (${model.moe.experts} routed + ${model.moe.sharedExperts} shared experts, router)`;
    out.moeActivePerLayer = `${formatParameters(p.moeMlpActivePerLayer)} (top-${model.moe.topK} + shared)`;
  }
  return out;
}
