/**
 * Job traces for the fabric manager (`weft manage`, docs/fabric-manager.md): which jobs arrive, when, and
 * for which tenant. Read from a YAML or JSON file (`parseJobTrace`, `readJobTrace`) or written inline in a
 * scenario's `manager.jobs` (manager.ts); both go through one schema, and every error starts with the
 * `file:line:col` of the entry that is wrong.
 *
 *   tenants: { blue: { isolate: leaf } }
 *   jobs:
 *     - { id: a, arrival: 0s, tenant: blue, gpus: 64, priority: 0,
 *         training: { model: llama3-8b, tp: 8, pp: 1, steps: 200, globalBatch: 512, microBatch: 1 } }
 *     - { id: b, arrival: 30s, tenant: red, gpus: 8, inference: { model: llama3-8b, tp: 8, duration: 10min, rate: 5/s } }
 *
 * `dp` follows from gpus / (tp · pp). A tenant with `isolate: leaf` never shares a leaf with another's jobs.
 */
import { z } from "zod";
import { MODEL_PRESETS } from "../catalog/model-presets.js";
import { positionedError, type SourcePosition } from "../errors.js";
import { readInputFile } from "../files/read-input.js";
import { at, type Ctx, fail } from "./context.js";
import { count, quantity, text } from "./fields.js";
import type { Path } from "./source-map.js";
import { checkSchema, readPositioned } from "./yaml-document.js";

export interface TrainingJob {
  kind: "training";
  model: string;
  tp: number;
  pp: number;
  steps: number;
  globalBatch: number;
  microBatch: number;
  seqLength?: number;
}

export interface InferenceJob {
  kind: "inference";
  model: string;
  tp: number;
  /** Seconds the service runs. */
  duration: number;
  /** Requests per second (reported, not simulated: an inference job holds its accelerators for its duration). */
  rate: number;
}

export interface Job {
  id: string;
  /** Seconds from the start. */
  arrival: number;
  tenant: string;
  gpus: number;
  /** Higher runs first among waiting jobs. */
  priority: number;
  work: TrainingJob | InferenceJob;
  /** Where the job's `gpus` is written, for errors found once the cluster is known. */
  at?: SourcePosition;
}

export const ISOLATION = ["none", "leaf"] as const;

export interface TenantPolicy {
  /** `leaf`: this tenant's jobs never share a leaf switch with another tenant's. */
  isolate: (typeof ISOLATION)[number];
}

export interface Trace {
  /** By arrival; jobs arriving together in the order they were written. */
  jobs: Job[];
  tenants: Record<string, TenantPolicy>;
}

const model = z.enum(Object.keys(MODEL_PRESETS) as [string, ...string[]]);

const traceJob = z.strictObject({
  id: z.union([text, z.number()], { error: "expected a job id (a string or a number)" }),
  arrival: quantity("time", "nonNegative"),
  tenant: text.optional(),
  gpus: count("ranks"),
  priority: z.number().optional(),
  training: z
    .strictObject({
      model,
      tp: count("parallel").optional(),
      pp: count("parallel").optional(),
      steps: count("steps"),
      globalBatch: count("globalBatch").optional(),
      microBatch: count("microBatch").optional(),
      seqLength: count("seqLength").optional(),
    })
    .optional(),
  inference: z
    .strictObject({
      model,
      tp: count("parallel").optional(),
      duration: quantity("time", "positive"),
      rate: quantity("rate", "positive", "rate").optional(),
    })
    .optional(),
});

/** The `jobs:` list of a trace (at least one job). */
export const traceJobs = z.array(traceJob).min(1);
/** The `tenants:` mapping of a trace: name → { isolate }. */
export const traceTenants = z.record(text, z.strictObject({ isolate: z.enum(ISOLATION).optional() }));
const traceFile = z.strictObject({ tenants: traceTenants.optional(), jobs: traceJobs });

export type RawTraceJob = z.output<typeof traceJob>;
export type RawTraceTenants = z.output<typeof traceTenants>;

/**
 * Jobs and tenants from their schema-checked form, with the checks across fields. `base` is where `jobs`
 * and `tenants` sit: `[]` in a trace file, `["manager"]` in a scenario.
 */
export function traceFrom(
  raw: { jobs: RawTraceJob[]; tenants?: RawTraceTenants },
  ctx: Ctx,
  base: Path,
): Trace {
  const jobs = raw.jobs.map((j, i) => jobFrom(j, ctx, [...base, "jobs", i]));
  checkUniqueIds(jobs, ctx, [...base, "jobs"]);
  // Array.prototype.sort is stable: jobs arriving together keep the order they were written in.
  jobs.sort((a, b) => a.arrival - b.arrival);
  return { jobs, tenants: tenantsFrom(raw.tenants) };
}

/** Tenant policies with their default (`isolate: none`). */
export function tenantsFrom(raw: RawTraceTenants | undefined): Record<string, TenantPolicy> {
  const tenants: Record<string, TenantPolicy> = {};
  for (const [name, t] of Object.entries(raw ?? {})) tenants[name] = { isolate: t.isolate ?? "none" };
  return tenants;
}

function jobFrom(j: RawTraceJob, ctx: Ctx, path: Path): Job {
  const id = String(j.id);
  if (j.training && j.inference) {
    fail(
      ctx,
      [...path, "inference"],
      `job ${id} has both training and inference; expected exactly one`,
      "key",
    );
  }
  if (!j.training && !j.inference) {
    fail(ctx, path, `job ${id} has neither training nor inference; expected exactly one of them`);
  }
  const base = {
    id,
    arrival: j.arrival,
    tenant: j.tenant ?? "default",
    gpus: j.gpus,
    priority: j.priority ?? 0,
  };
  const work = j.training
    ? trainingFrom(j.training, j.gpus, ctx, path)
    : inferenceFrom(j.inference!, j.gpus, ctx, [...path, "gpus"]);
  return { ...base, work, at: at(ctx, [...path, "gpus"]) };
}

function trainingFrom(
  t: NonNullable<RawTraceJob["training"]>,
  gpus: number,
  ctx: Ctx,
  jobAt: Path,
): TrainingJob {
  const tp = t.tp ?? 1;
  const pp = t.pp ?? 1;
  if (gpus % (tp * pp) !== 0) {
    fail(
      ctx,
      [...jobAt, "gpus"],
      `${gpus} GPUs do not split into tp ${tp} × pp ${pp}; expected a multiple of ${tp * pp}`,
    );
  }
  const microBatch = t.microBatch ?? 1;
  const dp = gpus / (tp * pp);
  checkShape(t.model, tp, pp, ctx, [...jobAt, "training"]);
  if (t.globalBatch !== undefined && t.globalBatch % (dp * microBatch) !== 0) {
    fail(
      ctx,
      [...jobAt, "training", "globalBatch"],
      `globalBatch ${t.globalBatch} must be a multiple of microBatch × dp = ${microBatch} × ${dp} = ${microBatch * dp}`,
    );
  }
  // Without a global batch, enough micro-batches per replica to keep a pipeline busy (4 per stage).
  const globalBatch = t.globalBatch ?? dp * microBatch * Math.max(1, 4 * pp);
  return {
    kind: "training",
    model: t.model,
    tp,
    pp,
    steps: t.steps,
    globalBatch,
    microBatch,
    seqLength: t.seqLength,
  };
}

/** The model's layers and heads take the job's pp and tp (the model is a preset, checked by the schema). */
function checkShape(name: string, tp: number, pp: number, ctx: Ctx, at: Path): void {
  const model = MODEL_PRESETS[name];
  if (!model) return;
  if (pp > model.layers) {
    fail(
      ctx,
      [...at, "pp"],
      `pp ${pp} is more than the ${model.layers} layers of ${name}; expected pp ≤ ${model.layers}`,
    );
  }
  if (model.heads % tp !== 0) {
    fail(ctx, [...at, "tp"], `tp ${tp} must divide the ${model.heads} attention heads of ${name}`);
  }
}

function inferenceFrom(
  i: NonNullable<RawTraceJob["inference"]>,
  gpus: number,
  ctx: Ctx,
  gpusAt: Path,
): InferenceJob {
  const tp = i.tp ?? 1;
  if (gpus % tp !== 0) {
    fail(ctx, gpusAt, `${gpus} GPUs do not split into tp ${tp} instances; expected a multiple of ${tp}`);
  }
  return { kind: "inference", model: i.model, tp, duration: i.duration, rate: i.rate ?? 1 };
}

function checkUniqueIds(jobs: Job[], ctx: Ctx, listAt: Path): void {
  const first = new Map<string, number>();
  jobs.forEach((j, i) => {
    const seen = first.get(j.id);
    if (seen === undefined) {
      first.set(j.id, i);
      return;
    }
    const line = at(ctx, [...listAt, seen, "id"]).line;
    fail(
      ctx,
      [...listAt, i, "id"],
      `job id "${j.id}" appears twice${line !== undefined ? ` (first on line ${line})` : ""}; expected a unique id per job`,
    );
  });
}

/** A trace document; `file` names it in messages (`trace.yaml:12:7: ...`). */
export function parseJobTrace(text: string, file?: string): Trace {
  const { data, ctx } = readPositioned(text, file, "job trace");
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw positionedError(
      { ...(file !== undefined ? { file } : {}), line: 1, col: 1 },
      `the job trace must be a mapping with jobs: [...] (and optionally tenants:); got ${Array.isArray(data) ? "a list" : data == null ? "an empty document" : `${typeof data} ${JSON.stringify(data)}`}`,
    );
  }
  return traceFrom(checkSchema(traceFile, data, ctx), ctx, []);
}

/** Reads a trace file; a file that cannot be read is an error at `from` (the key that names it) or the file. */
export function readJobTrace(file: string, from?: SourcePosition): Trace {
  let text: string;
  try {
    text = readInputFile(file);
  } catch (e) {
    throw positionedError(
      from ?? { file },
      `cannot read the job trace ${(e as Error).message}; expected a YAML or JSON file with jobs: [...]`,
    );
  }
  return parseJobTrace(text, file);
}
