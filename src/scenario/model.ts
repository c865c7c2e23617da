/**
 * Models: a preset name, or an object (optionally `preset:` plus fields to change). Presets come from
 * src/catalog/model-presets.ts; `modelPreset` is the one place that reads them.
 */

import { MODEL_PRESETS } from "../catalog/model-presets.js";
import { didYouMean } from "../catalog/nearest.js";
import { type Ctx, fail } from "./context.js";
import type { RawModel } from "./schema.js";
import type { ModelSpec } from "./types.js";

export function modelPresetNames(): string[] {
  return Object.keys(MODEL_PRESETS);
}

/** A copy of the preset of this name, or undefined. */
export function modelPreset(name: string): ModelSpec | undefined {
  const p = MODEL_PRESETS[name];
  return p ? structuredClone(p) : undefined;
}

function presetOrFail(name: string, path: (string | number)[], ctx: Ctx): ModelSpec {
  const p = modelPreset(name);
  if (p) return p;
  const hint = didYouMean(name, modelPresetNames());
  return fail(
    ctx,
    path,
    `unknown model preset "${name}"${hint ? `; did you mean "${hint}"?` : ";"} known presets: ${modelPresetNames().join(", ")} ` +
      "(or give a model object with layers, hidden, heads, vocab, seqLength)",
  );
}

const REQUIRED = ["layers", "hidden", "heads", "vocab"] as const;

/** The full model; `seqLength` (from the workload) overrides the model's. */
export function resolveModel(
  raw: RawModel,
  seqLength: number | undefined,
  path: (string | number)[],
  ctx: Ctx,
): ModelSpec {
  if (typeof raw === "string") {
    const preset = presetOrFail(raw, path, ctx);
    return seqLength !== undefined ? { ...preset, seqLength } : preset;
  }
  const base = raw.preset !== undefined ? presetOrFail(raw.preset, [...path, "preset"], ctx) : undefined;
  const get = <K extends keyof ModelSpec>(k: K): ModelSpec[K] | undefined =>
    (raw as Partial<ModelSpec>)[k] ?? base?.[k];
  for (const key of REQUIRED) {
    if (get(key) === undefined) {
      fail(
        ctx,
        path,
        `missing required key "${key}" in the model; a model object needs ${REQUIRED.join(", ")} and seqLength (or preset: NAME)`,
      );
    }
  }
  const layers = get("layers")!;
  const hidden = get("hidden")!;
  const heads = get("heads")!;
  const kvHeads = get("kvHeads") ?? heads;
  if (heads % kvHeads !== 0) {
    fail(
      ctx,
      [...path, "kvHeads"],
      `kvHeads ${kvHeads} must divide heads ${heads} (each KV head serves heads/kvHeads query heads)`,
    );
  }
  const headDim =
    raw.headDim ??
    (raw.hidden !== undefined || raw.heads !== undefined ? undefined : base?.headDim) ??
    hidden / heads;
  if (!Number.isInteger(headDim)) {
    fail(
      ctx,
      [...path, "heads"],
      `hidden ${hidden} is not a multiple of heads ${heads}; give headDim explicitly`,
    );
  }
  const seq = seqLength ?? get("seqLength");
  if (seq === undefined) {
    fail(
      ctx,
      path,
      `missing required key "seqLength" in the model; give it in the model or at the workload level`,
    );
  }
  const model: ModelSpec = {
    name: raw.name ?? base?.name ?? "custom",
    layers,
    hidden,
    heads,
    kvHeads,
    headDim,
    ffnHidden: raw.ffnHidden ?? (raw.hidden !== undefined ? undefined : base?.ffnHidden) ?? 4 * hidden,
    gatedMlp: get("gatedMlp") ?? false,
    vocab: get("vocab")!,
    seqLength: seq,
  };
  const moe = raw.moe ? { sharedExperts: 0, denseLayers: 0, ...raw.moe } : base?.moe;
  if (moe) model.moe = checkMoe(moe, layers, [...path, "moe"], ctx);
  const mla = raw.mla ?? base?.mla;
  if (mla) model.mla = mla;
  return model;
}

function checkMoe(moe: NonNullable<ModelSpec["moe"]>, layers: number, path: (string | number)[], ctx: Ctx) {
  if (moe.topK > moe.experts)
    fail(ctx, [...path, "topK"], `topK ${moe.topK} is more than the ${moe.experts} experts`);
  if (moe.groups !== undefined || moe.groupsPerToken !== undefined) checkGroups(moe, path, ctx);
  if (moe.denseLayers >= layers) {
    fail(
      ctx,
      [...path, "denseLayers"],
      `denseLayers ${moe.denseLayers} leaves no MoE layer in a ${layers}-layer model`,
    );
  }
  return moe;
}

/** Group-limited routing needs equal groups and room for topK experts in the groups a token may use. */
function checkGroups(moe: NonNullable<ModelSpec["moe"]>, path: (string | number)[], ctx: Ctx) {
  const groups = moe.groups ?? 1;
  const perToken = moe.groupsPerToken ?? groups;
  if (moe.experts % groups !== 0)
    fail(ctx, [...path, "groups"], `${groups} groups do not split ${moe.experts} experts evenly`);
  else if (perToken > groups)
    fail(ctx, [...path, "groupsPerToken"], `groupsPerToken ${perToken} is more than the ${groups} groups`);
  else if ((perToken * moe.experts) / groups < moe.topK)
    fail(
      ctx,
      [...path, "groupsPerToken"],
      `${perToken} of ${groups} groups hold ${(perToken * moe.experts) / groups} experts, fewer than topK ${moe.topK}`,
    );
}
