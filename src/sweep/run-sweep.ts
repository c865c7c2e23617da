/**
 * A sweep from start to end: sample the axes, build and validate each point, ask the store which points
 * it already holds, run the rest on an executor (inline, the worker-thread pool or the Redis queue),
 * store each point the moment it finishes, then rank the sweep's rows. An interrupted sweep run again
 * does only what is missing.
 */
import { positionedError, WeftError } from "../errors.js";
import type { Scenario } from "../scenario/types.js";
import { canonicalJson, sha256 } from "../store/hash.js";
import type { PointRow, Store } from "../store/store.js";
import { weftVersion } from "../version.js";
import type { PointOutcome } from "./execute.js";
import { type Ranked, rankPoints } from "./objectives.js";
import { type Inputs, inputsAt, type Materialized, materialize, pointFactory } from "./point.js";
import { samplePoints } from "./sample.js";
import type { SweepSpec } from "./spec.js";
import { pointWriter } from "./writer.js";

/** A point to run: its hash, its scenario document and the file relative paths in it resolve against. */
export interface PointTask {
  hash: string;
  doc: Record<string, unknown>;
  file?: string;
  /** Already parsed (inline runs reuse it; workers parse `doc` themselves). */
  scenario?: Scenario;
}

/** Runs tasks and reports each outcome as it comes (in any order); resolves when all are reported. */
/**
 * Runs tasks and hands each outcome to `onOutcome`, which resolves once the outcome is taken (buffered for
 * the store); `durable`, when given, resolves once every outcome taken so far is in the store, for an
 * executor that must not forget a point before then (the queue's jobs are removed only after it).
 */
export type Executor = (
  tasks: PointTask[],
  onOutcome: (o: PointOutcome) => Promise<void>,
  durable?: () => Promise<void>,
) => Promise<void>;

export interface SweepProgress {
  done: number;
  total: number;
  /** The point that just finished. */
  last?: PointOutcome;
}

export interface SweepRunOptions {
  store: Store;
  executor: Executor;
  onProgress?: (p: SweepProgress) => void;
}

export interface SweepSummary {
  id: string;
  name: string;
  /** Points the sampling chose. */
  sampled: number;
  /** Valid, distinct points. */
  points: number;
  ran: number;
  /** Points already in the store. */
  reused: number;
  skipped: Record<string, number>;
  invalid: Record<string, number>;
  /** For each invalid reason, the axis values of the first point it rejected (`tp=3 pp=8`). */
  invalidExample: Record<string, string>;
  errors: number;
  wallS: number;
  rows: PointRow[];
  ranked: Ranked<PointRow>;
}

/** The sweep's identity: its definition and base scenario, canonical. */
export function sweepId(spec: SweepSpec): string {
  return sha256(canonicalJson({ sweep: spec.raw, base: spec.base })).slice(0, 16);
}

function count(into: Record<string, number>, key: string): void {
  into[key] = (into[key] ?? 0) + 1;
}

/** Every sampled point, built and checked; a sweep whose points are all invalid is an input error. */
export function preparePoints(spec: SweepSpec): Materialized[] {
  const factory = pointFactory(spec);
  const points = samplePoints(spec.axes, spec.sampling).map((i) => materialize(factory, inputsAt(spec, i)));
  if (points.length > 0 && points.every((p) => p.status === "invalid")) {
    const first = points[0] as { label: string; reason: string };
    throw positionedError(
      spec.file !== undefined ? { file: spec.file } : {},
      `no point of the sweep is a valid scenario; the first (${first.label}): ${first.reason}`,
    );
  }
  return points;
}

export async function runSweep(spec: SweepSpec, options: SweepRunOptions): Promise<SweepSummary> {
  const started = performance.now();
  const { store } = options;
  const id = sweepId(spec);
  const points = preparePoints(spec);
  const skipped: Record<string, number> = {};
  const invalid: Record<string, number> = {};
  const invalidExample: Record<string, string> = {};
  const ready = new Map<string, { inputs: Inputs; task: PointTask }>();
  for (const p of points) {
    if (p.status === "skipped") count(skipped, p.reason);
    else if (p.status === "invalid") {
      count(invalid, p.reason);
      invalidExample[p.reason] ??= p.label;
    } else if (p.status === "ready" && !ready.has(p.hash))
      ready.set(p.hash, {
        inputs: p.inputs,
        task: { hash: p.hash, doc: p.doc, file: spec.baseFile ?? spec.file, scenario: p.scenario },
      });
  }
  await store.putSweep({ id, name: spec.name, spec: spec.raw, points: ready.size });
  await store.linkSweepPoints(
    id,
    [...ready].map(([hash, r]) => ({ hash, inputs: r.inputs })),
  );
  const known = await store.knownHashes([...ready.keys()]);
  const tasks = [...ready.values()].filter((r) => !known.has(r.task.hash)).map((r) => r.task);
  let done = 0;
  const outcomes = new Map<string, PointOutcome>();
  // Progress counts points once they are in the store: what a kill at that moment would keep.
  const writer = pointWriter(store, (rows) => {
    for (const r of rows) {
      done++;
      const last = outcomes.get(r.hash);
      outcomes.delete(r.hash);
      options.onProgress?.({ done, total: tasks.length, ...(last ? { last } : {}) });
    }
  });
  options.onProgress?.({ done, total: tasks.length });
  await options.executor(
    tasks,
    async (o) => {
      const entry = ready.get(o.hash);
      if (!entry)
        throw new WeftError(`an executor returned a point this sweep did not ask for (${o.hash})`, {}, 1);
      outcomes.set(o.hash, o);
      await writer.add({
        hash: o.hash,
        sweep: id,
        name: o.name,
        kind: o.kind,
        fidelity: o.fidelity,
        status: o.status,
        ...(o.reason !== undefined ? { reason: o.reason } : {}),
        inputs: entry.inputs,
        metrics: o.metrics,
        ...(o.results !== undefined ? { results: o.results } : {}),
        wallS: o.wallS,
        weftVersion: weftVersion(),
      });
    },
    writer.flush,
  );
  await writer.flush();
  const rows = await store.sweepPoints(id);
  const ok = rows.filter((r) => r.status === "ok");
  return {
    id,
    name: spec.name,
    sampled: points.length,
    points: ready.size,
    ran: tasks.length,
    reused: ready.size - tasks.length,
    skipped,
    invalid,
    invalidExample,
    errors: rows.length - ok.length,
    wallS: (performance.now() - started) / 1000,
    rows,
    ranked: rankPoints(ok, spec.objectives, (r, m) => r.metrics[m]),
  };
}
