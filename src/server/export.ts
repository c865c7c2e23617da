/**
 * A finished run as a file: the JSON of `weft run --json`, or its main table as CSV (collective sizes,
 * traffic flows, training timeline, inference pools, the jobs of a jobs run). A new workload kind adds one entry to TABLES.
 */
import { stringify } from "csv-stringify/sync";
import type { Results } from "../results/types.js";
import type { RunRecord } from "./schemas.js";

export const EXPORT_FORMATS = ["json", "csv"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const TABLES: Record<string, (r: Results) => Record<string, unknown>[]> = {
  collective: (r) => (r.kind === "collective" ? r.rows.map((row) => ({ ...row })) : []),
  traffic: (r) => (r.kind === "traffic" ? r.flows.map((f) => ({ ...f })) : []),
  training: (r) => (r.kind === "training" ? r.timeline.map((s) => ({ ...s })) : []),
  inference: (r) => (r.kind === "inference" ? (r.pools ?? []).map((p) => ({ ...p })) : []),
  // One row per job: its placement, timing with the others and alone (per-size or per-flow detail stays in JSON).
  jobs: (r) =>
    r.kind === "jobs"
      ? r.jobs.map((j) => ({
          name: j.name,
          kind: j.kind,
          op: j.op,
          accelerators: j.accelerators,
          startS: j.startS,
          steps: j.steps,
          endS: j.endS,
          stepTimeS: j.stepTimeS,
          aloneStepTimeS: j.aloneStepTimeS,
          slowdown: j.slowdown,
        }))
      : [],
};

export function exportRun(
  run: RunRecord,
  format: ExportFormat,
): { name: string; contentType: string; body: string } {
  const results = run.results as Results;
  const base = `weft-run-${run.id.slice(0, 8)}`;
  if (format === "json")
    return {
      name: `${base}.json`,
      contentType: "application/json",
      body: `${JSON.stringify(results, null, 2)}\n`,
    };
  const rows = (TABLES[results.kind] ?? (() => []))(results);
  const body = rows.length ? stringify(rows, { header: true, columns: Object.keys(rows[0]) }) : "";
  return { name: `${base}.csv`, contentType: "text/csv; charset=utf-8", body };
}
