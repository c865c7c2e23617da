/**
 * Job traces: what arrives at the fabric manager. The trace format, its schema and its reader live with
 * the scenario loader (src/scenario/job-trace.ts), so a trace file and a scenario's inline `manager.jobs`
 * are checked alike and every error names `file:line:col`; this module adds `syntheticTrace`, drawn from a
 * seed (tests and benchmarks).
 */
import type { Job, Trace } from "../../scenario/job-trace.js";

export type { InferenceJob, Job, TenantPolicy, Trace, TrainingJob } from "../../scenario/job-trace.js";
export { parseJobTrace, readJobTrace } from "../../scenario/job-trace.js";

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
