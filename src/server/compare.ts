/**
 * Two runs side by side: every number both results have (top level and one level down, such as
 * `breakdown.computeS` or `ttftS.p99`, and a collective's rows by size), with the relative change from a to b. Generic over workload kinds,
 * so a new kind's figures appear without changes here.
 */
import type { RunRecord } from "./schemas.js";

export interface ComparedFigure {
  key: string;
  a: number;
  b: number;
  /** (b − a) / a; null when a is 0. */
  change: number | null;
}

export interface Comparison {
  a: { id: string; name: string; kind: string };
  b: { id: string; name: string; kind: string };
  figures: ComparedFigure[];
}

/** Keys that describe the run rather than the design. */
const SKIP = new Set(["wallS"]);

export function numericFigures(results: unknown): Map<string, number> {
  const out = new Map<string, number>();
  if (results === null || typeof results !== "object") return out;
  for (const [k, v] of Object.entries(results)) {
    if (SKIP.has(k)) continue;
    if (typeof v === "number" && Number.isFinite(v)) out.set(k, v);
    else if (v !== null && typeof v === "object" && !Array.isArray(v))
      for (const [k2, v2] of Object.entries(v))
        if (typeof v2 === "number" && Number.isFinite(v2)) out.set(`${k}.${k2}`, v2);
  }
  // A collective's sweep, size by size (`rows.1048576.busbwGBps`): two sweeps compare on the sizes both ran.
  const rows = (results as { kind?: unknown; rows?: unknown }).rows;
  if ((results as { kind?: unknown }).kind === "collective" && Array.isArray(rows))
    for (const r of rows as Record<string, unknown>[])
      for (const k of ["timeUs", "algbwGBps", "busbwGBps"])
        if (typeof r[k] === "number" && Number.isFinite(r[k]))
          out.set(`rows.${r.sizeBytes}.${k}`, r[k] as number);
  return out;
}

export function compareRuns(a: RunRecord, b: RunRecord): Comparison {
  const fa = numericFigures(a.results);
  const fb = numericFigures(b.results);
  const figures: ComparedFigure[] = [];
  for (const [key, va] of fa) {
    const vb = fb.get(key);
    if (vb === undefined) continue;
    figures.push({ key, a: va, b: vb, change: va === 0 ? null : (vb - va) / va });
  }
  const who = (r: RunRecord) => ({ id: r.id, name: r.name, kind: r.kind });
  return { a: who(a), b: who(b), figures };
}
