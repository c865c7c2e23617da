/**
 * `workload.inference`: instance pools on accelerator groups, the request stream (Poisson rate or a CSV
 * trace), KV-cache placement and SLOs.
 */

import { positionedError } from "../errors.js";
import { readInputFile } from "../files/read-input.js";
import { at, type Ctx, fail, groupKindPhrase, n, scenarioFile } from "./context.js";
import { resolveModel } from "./model.js";
import { parseTrace } from "./request-trace.js";
import type { RawInference, RawLength, RawPool } from "./schema.js";
import { requireMoe, workloadGroup } from "./training.js";
import type { GroupSpec, InferenceWorkload, InstancePool, LengthDistribution, ModelSpec } from "./types.js";

const W = ["workload", "inference"];

/** MLPerf Inference's Llama 2 70B server-scenario limits (MLCommons inference rules): TTFT 2 s, TPOT 200 ms. */
export const DEFAULT_SLO = { ttft: 2, tpot: 0.2 };
export const DEFAULT_REQUEST_COUNT = 1000;

export function normalizeInference(
  raw: RawInference,
  groups: GroupSpec[],
  seed: number,
  ctx: Ctx,
): InferenceWorkload {
  const model = resolveModel(raw.model, undefined, [...W, "model"], ctx);
  const prefill = resolvePool(raw.prefill, raw.decode ? "prefill" : "colocated", model, groups, ctx);
  const decode = raw.decode ? resolvePool(raw.decode, "decode", model, groups, ctx) : undefined;
  checkPoolsFit(prefill, decode, groups, ctx);
  const precision = raw.precision ?? "bf16";
  checkPrecision(precision, decode ? [prefill, decode] : [prefill], groups, ctx);
  return {
    kind: "inference",
    model,
    prefill,
    ...(decode ? { decode } : {}),
    requests: resolveRequests(raw.requests, seed, ctx),
    kvCache: resolveKvCache(raw.kvCache, groups, ctx),
    slo: { ttft: raw.slo?.ttft ?? DEFAULT_SLO.ttft, tpot: raw.slo?.tpot ?? DEFAULT_SLO.tpot },
    precision,
    kvPrecision: raw.kvPrecision ?? (precision === "bf16" ? "bf16" : "fp8"),
  };
}

/** 4-bit weights need tensor cores that run that format (Blackwell: NVFP4 and MXFP4; MI355X: MXFP4). */
function checkPrecision(precision: string, pools: InstancePool[], groups: GroupSpec[], ctx: Ctx): void {
  if (precision !== "nvfp4" && precision !== "mxfp4") return;
  for (const pool of pools) {
    const acc = groups.find((g) => g.name === pool.group)?.accelerator;
    if (acc && !(acc.fp4Formats?.includes(precision) && acc.peakFlops.fp4)) {
      const has = !acc.peakFlops.fp4
        ? "no 4-bit format (no peakFlops.fp4)"
        : acc.fp4Formats?.length
          ? `only ${acc.fp4Formats.join(", ")}`
          : "no 4-bit format (no fp4Formats)";
      fail(
        ctx,
        [...W, "precision"],
        `${precision} needs tensor cores that run it; ${acc.id} (group "${pool.group}") has ${has} ` +
          "(expected bf16 or fp8 there; NVFP4 runs on Blackwell, MXFP4 on Blackwell and MI355X)",
      );
    }
  }
}

/** Prompt tokens per prefill batch per attention replica unless a pool says (vLLM-style token budget). */
const PREFILL_TOKENS = 8192;

/**
 * Tokens per co-located step per attention replica unless the pool says: decode tokens first, prompt
 * chunks fill the rest (chunked prefill, Sarathi-Serve; vLLM's default max_num_batched_tokens with chunked
 * prefill on is 2,048).
 */
export const COLOCATED_PREFILL_TOKENS = 2048;

/**
 * The busiest expert-parallel rank's load over the mean that expert popularity leaves after EPLB's
 * placement and replication, beyond sampling (src/model/expert-load.ts): TensorRT-LLM measured DeepSeek-R1
 * on 32 GB200 with 32 redundant experts at 1.109 × the mean with 1,024 pairs per rank
 * (data/calibration/eplb_trtllm_gb200.csv), and sampling alone gives 1.0637 there: 1.109 / 1.0637.
 */
export const EPLB_IMBALANCE = 1.043;

/** Defaults of the pool keys that concern only routed experts. */
const EXPERT_DEFAULTS = {
  overlap: "none",
  epKernels: "nccl",
  redundantExperts: 0,
  expertImbalance: EPLB_IMBALANCE,
} as const;

function resolvePool(
  raw: RawPool,
  role: string,
  model: ModelSpec,
  groups: GroupSpec[],
  ctx: Ctx,
): InstancePool {
  // a co-located pool is written under `prefill`
  const p = [...W, role === "colocated" ? "prefill" : role];
  const group = workloadGroup(raw.group, groups, [...p, "group"], ctx);
  const pool = {
    group: group.name,
    tp: raw.tp ?? 1,
    ep: raw.ep ?? 1,
    dp: raw.dp ?? 1,
    instances: raw.instances ?? 1,
    maxBatch: raw.maxBatch ?? 256,
    overlap: raw.overlap ?? EXPERT_DEFAULTS.overlap,
    prefillTokens: raw.prefillTokens ?? (role === "colocated" ? COLOCATED_PREFILL_TOKENS : PREFILL_TOKENS),
    epKernels: raw.epKernels ?? EXPERT_DEFAULTS.epKernels,
    redundantExperts: raw.redundantExperts ?? EXPERT_DEFAULTS.redundantExperts,
    expertImbalance: raw.expertImbalance ?? EXPERT_DEFAULTS.expertImbalance,
  };
  if (pool.ep > 1) requireMoe(ctx, [...p, "ep"], pool.ep, model);
  if (!model.moe) rejectExpertKeys(raw, p, model, ctx);
  // Replicas of an instance step together (the experts need every replica's tokens); a dense model has
  // nothing to share, so its dp replicas only wait on each other.
  if (!model.moe && pool.dp > 1) {
    ctx.warnings.push(
      `${p.slice(1).join(".")}: dp ${pool.dp} on dense ${model.name}: the replicas of an instance step together, as data-parallel attention does for MoE models; instances: ${pool.instances * pool.dp} with dp 1 serve on the same accelerators without waiting on each other`,
    );
  }
  if ((pool.tp * pool.dp) % pool.ep !== 0) {
    fail(
      ctx,
      [...p, "ep"],
      `ep ${pool.ep} must divide the tp × dp = ${pool.tp * pool.dp} accelerators of one ${role === "colocated" ? "co-located" : role} instance`,
    );
  }
  if (model.heads % pool.tp !== 0)
    fail(ctx, [...p, "tp"], `tp ${pool.tp} must divide the ${model.heads} attention heads of ${model.name}`);
  return pool;
}

/**
 * A dense model has no routed experts to overlap, send with other kernels, replicate or balance: a pool key
 * that asks anything of them (any value but its default, which the printed scenario writes out) is a
 * mistake rather than a no-op, as `ep` > 1 is.
 */
function rejectExpertKeys(raw: RawPool, p: string[], model: ModelSpec, ctx: Ctx): void {
  for (const key of Object.keys(EXPERT_DEFAULTS) as (keyof typeof EXPERT_DEFAULTS)[]) {
    const v = raw[key];
    if (v !== undefined && v !== EXPERT_DEFAULTS[key]) {
      fail(
        ctx,
        [...p, key],
        `${key}: ${v} applies only to the routed experts of a mixture-of-experts model, and ${model.name} is dense (no moe section); expected ${key}: ${EXPERT_DEFAULTS[key]} (the default) or no ${key} here, or an MoE model`,
      );
    }
  }
}

/** The pools placed on one group must fit its accelerators together. */
function checkPoolsFit(
  prefill: InstancePool,
  decode: InstancePool | undefined,
  groups: GroupSpec[],
  ctx: Ctx,
): void {
  const pools = decode
    ? [["prefill", prefill] as const, ["decode", decode] as const]
    : [["prefill", prefill] as const];
  for (const g of groups) {
    const mine = pools.filter(([, pool]) => pool.group === g.name);
    if (mine.length === 0) continue;
    const need = mine.reduce((s, [, pool]) => s + pool.tp * pool.dp * pool.instances, 0);
    const have = g.nodes * g.acceleratorsPerNode;
    if (need > have) {
      const detail = mine
        .map(
          ([role, pool]) =>
            `${role} tp × dp × instances = ${pool.tp} × ${pool.dp} × ${pool.instances} = ${n(pool.tp * pool.dp * pool.instances)}`,
        )
        .join(" plus ");
      const last = mine[mine.length - 1][0];
      fail(
        ctx,
        [...W, last],
        `${detail} accelerators, but group "${g.name}" has ${n(have)} (${n(g.nodes)} nodes × ${g.acceleratorsPerNode})`,
      );
    }
  }
}

function lengthDistribution(raw: RawLength): LengthDistribution {
  if (typeof raw === "number") return { kind: "fixed", value: raw };
  if (raw.dist === "fixed") return { kind: "fixed", value: raw.value };
  if (raw.dist === "uniform") return { kind: "uniform", min: raw.min, max: raw.max };
  return { kind: "lognormal", mean: raw.mean, sigma: raw.sigma };
}

function resolveRequests(
  raw: RawInference["requests"],
  seed: number,
  ctx: Ctx,
): InferenceWorkload["requests"] {
  const R = [...W, "requests"];
  for (const key of ["promptTokens", "outputTokens"] as const) {
    const v = raw[key];
    if (v && typeof v === "object" && v.dist === "uniform" && v.min > v.max) {
      fail(ctx, [...R, key], `${key}: min ${v.min} is above max ${v.max}`);
    }
  }
  if (raw.trace !== undefined) {
    const file = scenarioFile(ctx, [...R, "trace"], raw.trace);
    const trace = readTrace(file, at(ctx, [...R, "trace"]));
    return {
      ...(raw.rate !== undefined ? { rate: raw.rate } : {}),
      count: raw.count ?? trace.rows,
      promptTokens:
        raw.promptTokens !== undefined
          ? lengthDistribution(raw.promptTokens)
          : { kind: "fixed", value: trace.meanPrompt },
      outputTokens:
        raw.outputTokens !== undefined
          ? lengthDistribution(raw.outputTokens)
          : { kind: "fixed", value: trace.meanOutput },
      seed: raw.seed ?? seed,
      trace: file,
    };
  }
  if (raw.rate === undefined)
    fail(
      ctx,
      R,
      `missing required key "rate" in ${"workload.inference.requests"}; expected a rate such as 20/s (or a trace: file.csv)`,
    );
  for (const key of ["promptTokens", "outputTokens"] as const) {
    if (raw[key] === undefined)
      fail(
        ctx,
        R,
        `missing required key "${key}" in workload.inference.requests; expected a token count such as 2048 or { dist: ... } (or a trace: file.csv)`,
      );
  }
  return {
    rate: raw.rate,
    count: raw.count ?? DEFAULT_REQUEST_COUNT,
    promptTokens: lengthDistribution(raw.promptTokens!),
    outputTokens: lengthDistribution(raw.outputTokens!),
    seed: raw.seed ?? seed,
  };
}

interface TraceSummary {
  rows: number;
  meanPrompt: number;
  meanOutput: number;
}

/**
 * Checks a request trace (parsed by `parseTrace`, the one reader of traces: errors point at the trace's own
 * line) and summarizes it for the defaults.
 */
export function readTrace(file: string, from: { file?: string; line?: number; col?: number }): TraceSummary {
  let text: string;
  try {
    text = readInputFile(file);
  } catch (e) {
    throw positionedError(
      from,
      `trace file ${(e as Error).message}; expected a CSV request trace (paths are relative to the scenario file)`,
    );
  }
  const rows = parseTrace(text, file);
  const n = rows.arrival.length;
  const sum = (xs: Int32Array) => xs.reduce((s, x) => s + x, 0);
  return {
    rows: n,
    meanPrompt: Math.round(sum(rows.prompt) / n),
    meanOutput: Math.round(sum(rows.output) / n),
  };
}

function resolveKvCache(
  raw: RawInference["kvCache"],
  groups: GroupSpec[],
  ctx: Ctx,
): InferenceWorkload["kvCache"] {
  const kv = {
    transfer: raw?.transfer ?? "layerwise",
    prefixHitRate: raw?.prefixHitRate ?? 0,
  } as InferenceWorkload["kvCache"];
  if (raw?.offload !== undefined) {
    const g = groups.find((x) => x.name === raw.offload);
    if (!g || (g.kind !== "memory" && g.kind !== "storage")) {
      const options = groups.filter((x) => x.kind === "memory" || x.kind === "storage").map((x) => x.name);
      fail(
        ctx,
        [...W, "kvCache", "offload"],
        `${g ? `group "${raw.offload}" is ${groupKindPhrase(g.kind)}` : `no group named "${raw.offload}"`}; kvCache.offload expects a memory or storage group` +
          (options.length
            ? ` (${options.join(", ")})`
            : " (the cluster has none: add one with kind: memory)"),
      );
    }
    kv.offload = raw.offload;
  }
  return kv;
}
