/**
 * Ranking a sweep's points: the best point per objective, and the Pareto frontier (the points no other
 * point beats on every objective at once). Maximized metrics are negated so every comparison minimizes.
 */
import type { Objective } from "./spec.js";

export interface Ranked<T> {
  /** Per objective, the best point that has the metric (undefined when none has it). */
  best: { objective: Objective; point: T | undefined }[];
  /** Non-dominated points, ordered by the first objective. */
  frontier: T[];
}

/** `a` dominates `b`: no worse on every objective and better on one (vectors already in minimize sense). */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) better = true;
  }
  return better;
}

/**
 * The non-dominated rows. Sorted lexicographically, a row can only be dominated by a row before it, and if
 * that row is itself dominated, by a frontier row: so each row is checked against the frontier alone.
 */
export function paretoFrontier<T>(rows: readonly T[], vector: (row: T) => number[]): T[] {
  const items = rows.map((row) => ({ row, v: vector(row) }));
  items.sort((a, b) => {
    for (let i = 0; i < a.v.length; i++) if (a.v[i] !== b.v[i]) return a.v[i] - b.v[i];
    return 0;
  });
  const frontier: typeof items = [];
  for (const it of items) if (!frontier.some((f) => dominates(f.v, it.v))) frontier.push(it);
  return frontier.map((f) => f.row);
}

export function rankPoints<T>(
  rows: readonly T[],
  objectives: readonly Objective[],
  metric: (row: T, name: string) => number | undefined,
): Ranked<T> {
  const signed = (row: T, o: Objective) => {
    const v = metric(row, o.metric);
    return v === undefined || Number.isNaN(v) ? undefined : o.sense === "minimize" ? v : -v;
  };
  // Ties on an objective go to the point better on the others (in order): never a dominated one.
  const best = objectives.map((objective) => {
    const order = [objective, ...objectives.filter((o) => o !== objective)];
    const key = (r: T) => order.map((o) => signed(r, o) ?? Number.POSITIVE_INFINITY);
    let point: T | undefined;
    let value: number[] | undefined;
    for (const r of rows) {
      if (signed(r, objective) === undefined) continue;
      const v = key(r);
      if (!value || before(v, value)) {
        value = v;
        point = r;
      }
    }
    return { objective, point };
  });
  // An objective no point has (a metric of another workload kind, a misspelt name) is left out of the
  // frontier, which the others still define; the caller says so beside its best point.
  const present = objectives.filter((o) => rows.some((r) => signed(r, o) !== undefined));
  const complete = rows.filter((r) => present.every((o) => signed(r, o) !== undefined));
  const frontier = present.length
    ? paretoFrontier(complete, (r) => present.map((o) => signed(r, o) as number))
    : [];
  return { best, frontier };
}

/** Lexicographic order of two vectors of one length. */
function before(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}
