/**
 * A job trace: what arrives at the fabric manager. Read from YAML or JSON (`jobs: [...]`), or drawn by
 * `syntheticTrace` from a seed (tests and benchmarks).
 *
 *   jobs:
 *     - { id: a, arrival: 0s, tenant: blue, gpus: 64, priority: 0,
 *         training: { model: llama3-8b, tp: 8, pp: 1, steps: 200, globalBatch: 512, microBatch: 1 } }
 *     - { id: b, arrival: 30s, tenant: red, gpus: 8, inference: { model: llama3-8b, tp: 8, duration: 10min, rate: 5/s } }
 *
 * `dp` follows from gpus / (tp · pp). A tenant may be placed with `isolate: leaf` (given per tenant in
 * `tenants:`), so its jobs never share a leaf with another tenant's.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { MODEL_PRESETS } from "../../catalog/model-presets.js";
import { WeftError } from "../../errors.js";
import { parseRate, parseTime } from "../../units/index.js";

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
}

export interface TenantPolicy {
  /** `leaf`: this tenant's jobs never share a leaf switch with another tenant's. */
  isolate: "none" | "leaf";
}

export interface Trace {
  jobs: Job[];
  tenants: Record<string, TenantPolicy>;
}

const time = z.union([z.number().nonnegative(), z.string()]).transform((v, ctx) => {
  if (typeof v === "number") return v;
  try {
    return parseTime(v);
  } catch (err) {
    ctx.addIssue({ code: "custom", message: (err as Error).message });
    return z.NEVER;
  }
});
const rate = z.union([z.number().nonnegative(), z.string()]).transform((v, ctx) => {
  try {
    return parseRate(v);
  } catch (err) {
    ctx.addIssue({ code: "custom", message: (err as Error).message });
    return z.NEVER;
  }
});
const model = z.string().refine((m) => m in MODEL_PRESETS, {
  message: `a model preset (${Object.keys(MODEL_PRESETS).join(", ")})`,
});
const positive = z.number().int().positive();

const jobSchema = z
  .strictObject({
    id: z.union([z.string(), z.number()]).transform(String),
    arrival: time,
    tenant: z.string().default("default"),
    gpus: positive,
    priority: z.number().default(0),
    training: z
      .strictObject({
        model,
        tp: positive.default(1),
        pp: positive.default(1),
        steps: positive,
        globalBatch: positive.optional(),
        microBatch: positive.default(1),
        seqLength: positive.optional(),
      })
      .optional(),
    inference: z
      .strictObject({ model, tp: positive.default(1), duration: time, rate: rate.default(1) })
      .optional(),
  })
  .refine((j) => (j.training ? 1 : 0) + (j.inference ? 1 : 0) === 1, {
    message: "a job is exactly one of training or inference",
  });

const traceSchema = z.strictObject({
  tenants: z
    .record(z.string(), z.strictObject({ isolate: z.enum(["none", "leaf"]).default("none") }))
    .default({}),
  jobs: z.array(jobSchema).min(1),
});

/** Parses a trace document; `where` prefixes messages (the file name). */
export function parseTrace(doc: unknown, where = "trace"): Trace {
  const r = traceSchema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new WeftError(`${where}: ${issue.path.join(".")}: ${issue.message}`);
  }
  const jobs: Job[] = r.data.jobs.map((j, i) => {
    const base = { id: j.id, arrival: j.arrival, tenant: j.tenant, gpus: j.gpus, priority: j.priority };
    if (j.training) {
      const t = j.training;
      if (j.gpus % (t.tp * t.pp) !== 0) {
        throw new WeftError(
          `${where}: jobs.${i}: ${j.gpus} GPUs do not split into tp ${t.tp} × pp ${t.pp}; expected a multiple of ${t.tp * t.pp}`,
        );
      }
      const dp = j.gpus / (t.tp * t.pp);
      return {
        ...base,
        work: {
          kind: "training" as const,
          model: t.model,
          tp: t.tp,
          pp: t.pp,
          steps: t.steps,
          microBatch: t.microBatch,
          globalBatch: t.globalBatch ?? dp * t.microBatch * Math.max(1, 4 * t.pp),
          seqLength: t.seqLength,
        },
      };
    }
    const inf = j.inference!;
    if (j.gpus % inf.tp !== 0) {
      throw new WeftError(`${where}: jobs.${i}: ${j.gpus} GPUs do not split into tp ${inf.tp} instances`);
    }
    return {
      ...base,
      work: {
        kind: "inference" as const,
        model: inf.model,
        tp: inf.tp,
        duration: inf.duration,
        rate: inf.rate,
      },
    };
  });
  const ids = new Set<string>();
  for (const j of jobs) {
    if (ids.has(j.id)) throw new WeftError(`${where}: job id "${j.id}" appears twice`);
    ids.add(j.id);
  }
  jobs.sort((a, b) => a.arrival - b.arrival);
  const tenants: Record<string, TenantPolicy> = {};
  for (const [name, t] of Object.entries(r.data.tenants)) tenants[name] = { isolate: t.isolate };
  return { jobs, tenants };
}

export function loadTrace(file: string): Trace {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code) throw err;
    throw new WeftError(`${file}: not YAML or JSON: ${(err as Error).message}`);
  }
  return parseTrace(doc, file);
}

export interface SyntheticOptions {
  jobs: number;
  /** Accelerators of the cluster: job sizes are drawn up to an eighth of it. */
  accelerators: number;
  /** Mean seconds between arrivals. */
  meanGapS: number;
  seed: number;
  tenants?: string[];
  model?: string;
  /** Accelerators per scale-up domain (TP is drawn up to it). */
  domain?: number;
}

/**
 * A reproducible trace: Poisson arrivals; tensor parallelism 4 or 8 (at most the domain); sizes of 1, 2, 3,
 * 4, 6, 8, 12, 16, … TP groups (mostly small, as production traces are), up to an eighth of the cluster;
 * 20–200 steps; one job in ten is an inference service of 2–20 minutes.
 */
export function syntheticTrace(o: SyntheticOptions): Trace {
  let s = o.seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  const tenants = o.tenants ?? ["default"];
  const domain = o.domain ?? 8;
  const groups = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256];
  const jobs: Job[] = [];
  let t = 0;
  for (let i = 0; i < o.jobs; i++) {
    t += -Math.log(1 - next()) * o.meanGapS;
    const tp = Math.min(domain, next() < 0.5 ? 4 : 8);
    const fits = groups.filter((g) => g * tp <= o.accelerators / 8);
    const k = Math.min(fits.length - 1, Math.floor(-Math.log2(1 - next() * 0.99) * 1.5));
    const gpus = tp * fits[Math.max(0, k)];
    const tenant = tenants[Math.floor(next() * tenants.length)];
    const model = o.model ?? "llama3-8b";
    const work: Job["work"] =
      next() < 0.1
        ? { kind: "inference", model, tp, duration: 120 + Math.floor(next() * 1080), rate: 5 }
        : {
            kind: "training",
            model,
            tp,
            pp: 1,
            steps: 20 + Math.floor(next() * 180),
            microBatch: 1,
            globalBatch: (gpus / tp) * 8,
          };
    jobs.push({ id: `j${i}`, arrival: t, tenant, gpus, priority: 0, work });
  }
  return { jobs, tenants: {} };
}
