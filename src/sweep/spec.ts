/**
 * A sweep file: a base scenario (a file or inline) plus axes (dotted paths with lists or ranges of values),
 * derived values, constraints, sampling and objectives. Loaded with the scenario's own error style:
 * every mistake is `file:line:col: what is wrong; what was expected`.
 *
 * ```yaml
 * name: fabrics for Llama 3 70B
 * base: training.yaml                 # or  scenario: { ...inline... }
 * fidelity: analytical                # optional override of the base's
 * axes:
 *   cluster.scaleOut.oversubscription: [1, 2, 4]
 *   cluster.groups[0].nics.bandwidth: [200Gbps, 400Gbps]
 *   workload.training.parallelism.tp: { range: [2, 8], factor: 2 }
 * derive:
 *   workload.training.parallelism.dp: 512 / (tp * pp)
 * constraints:
 *   - tp * pp <= 64
 *   - { when: "microBatch <= 2", reason: "activations do not fit" }
 * sample: grid                        # or { random: 100, seed: 7 }
 * objectives: { minimize: [plan.costUsd, stepTimeS] }
 * ```
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { positionedError, type SourcePosition } from "../errors.js";
import { at, type Ctx, keyAt } from "../scenario/context.js";
import { formatIssue, issueMap } from "../scenario/issues.js";
import { indexDocument } from "../scenario/source-map.js";
import { type Expr, ExpressionError, parseExpression } from "./expression.js";
import { parsePath, type Segment } from "./paths.js";

export type AxisValue = number | string | boolean;

export interface Axis {
  /** As written: `cluster.groups[0].nics.bandwidth`. */
  path: string;
  segments: Segment[];
  values: AxisValue[];
}

export interface Derived {
  /** Where it was written, for errors while evaluating it. */
  position: SourcePosition;
  path: string;
  segments: Segment[];
  expression: Expr;
  text: string;
}

export interface Constraint {
  position: SourcePosition;
  expression: Expr;
  /** What a skipped point is counted under: the reason given, or the expression. */
  reason: string;
}

export type Sampling = { kind: "grid" } | { kind: "random"; count: number; seed: number };

export interface Objective {
  metric: string;
  sense: "minimize" | "maximize";
}

export interface SweepSpec {
  name: string;
  /** The sweep file (absolute), when loaded from one. */
  file?: string;
  /** The base scenario document (plain data, as parsed from YAML). */
  base: Record<string, unknown>;
  /** The file the base came from: relative paths in it resolve there. */
  baseFile?: string;
  fidelity?: "analytical" | "flow" | "packet";
  axes: Axis[];
  derived: Derived[];
  constraints: Constraint[];
  sampling: Sampling;
  objectives: Objective[];
  /** The store file the sweep names (relative to the sweep file), if any. */
  store?: string;
  /** The document as written, for the store's record of the sweep. */
  raw: unknown;
}

const axisValue = z.union([z.number(), z.string(), z.boolean()]);
const range = z.strictObject({
  range: z.tuple([z.number(), z.number()]),
  step: z.number().positive().optional(),
  factor: z.number().gt(1).optional(),
});
const metricList = z.union([z.string(), z.array(z.string()).min(1)]);

const sweepSchema = z.strictObject({
  name: z.string().optional(),
  base: z.string().optional(),
  scenario: z.record(z.string(), z.unknown()).optional(),
  fidelity: z.enum(["analytical", "flow", "packet"]).optional(),
  axes: z.record(z.string(), z.union([z.array(axisValue).min(1), range])),
  derive: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  constraints: z
    .array(z.union([z.string(), z.strictObject({ when: z.string(), reason: z.string().optional() })]))
    .optional(),
  sample: z
    .union([
      z.literal("grid"),
      z.strictObject({ random: z.number().int().positive(), seed: z.number().int().optional() }),
    ])
    .optional(),
  objectives: z.strictObject({ minimize: metricList.optional(), maximize: metricList.optional() }).optional(),
  store: z.string().optional(),
});

/** At most this many values on one axis: a typo in a range should not ask for a billion points. */
const MAX_AXIS_VALUES = 100_000;

export function loadSweep(file: string): SweepSpec {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
    throw positionedError({ file }, `cannot read the sweep: ${why}`);
  }
  return parseSweep(text, file);
}

export function parseSweep(text: string, file?: string): SweepSpec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw positionedError(
      { ...(file !== undefined ? { file } : {}), ...(e.linePos ? e.linePos[0] : {}) },
      `YAML syntax error: ${e.message.split(/ at line \d+, column \d+/)[0]}; expected valid YAML or JSON`,
    );
  }
  const dir = file !== undefined ? path.dirname(path.resolve(file)) : process.cwd();
  const ctx: Ctx = { file, dir, index: indexDocument(doc, lines, file), warnings: [] };
  const data = doc.toJS();
  if (data === null || typeof data !== "object" || Array.isArray(data))
    throw positionedError(
      { file, line: 1, col: 1 },
      "the sweep must be a mapping with axes and a base scenario",
    );
  const parsed = sweepSchema.safeParse(data, { reportInput: true, error: issueMap });
  if (!parsed.success) {
    const [first] = parsed.error.issues.flatMap((iss) => formatIssue(iss as never, ctx));
    throw positionedError(first.position, first.message);
  }
  const s = parsed.data;
  const { base, baseFile } = baseScenario(s, ctx);
  const axes = Object.entries(s.axes).map(([p, v]) => axis(p, v, ctx));
  if (axes.length === 0)
    throw positionedError(at(ctx, ["axes"]), "axes is empty; expected at least one axis");
  return {
    name: s.name ?? (typeof base.name === "string" ? `sweep of ${base.name}` : "sweep"),
    ...(file !== undefined ? { file: path.resolve(file) } : {}),
    base,
    ...(baseFile !== undefined ? { baseFile } : {}),
    ...(s.fidelity !== undefined ? { fidelity: s.fidelity } : {}),
    axes,
    derived: Object.entries(s.derive ?? {}).map(([p, e]) => derived(p, String(e), ctx)),
    constraints: (s.constraints ?? []).map((c, i) => constraint(c, i, ctx)),
    sampling:
      s.sample === undefined || s.sample === "grid"
        ? { kind: "grid" }
        : { kind: "random", count: s.sample.random, seed: s.sample.seed ?? 1 },
    objectives: objectives(s.objectives),
    ...(s.store !== undefined ? { store: path.resolve(dir, s.store) } : {}),
    raw: data,
  };
}

function baseScenario(
  s: z.infer<typeof sweepSchema>,
  ctx: Ctx,
): { base: Record<string, unknown>; baseFile?: string } {
  if ((s.base === undefined) === (s.scenario === undefined))
    throw positionedError(
      at(ctx, []),
      s.base === undefined
        ? "missing the base scenario; expected `base: FILE` or an inline `scenario:` mapping"
        : "both `base` and `scenario` are given; expected one base scenario",
    );
  if (s.scenario !== undefined) return { base: s.scenario };
  const baseFile = path.resolve(ctx.dir, s.base as string);
  let text: string;
  try {
    text = readFileSync(baseFile, "utf8");
  } catch {
    throw positionedError(at(ctx, ["base"]), `cannot read the base scenario ${s.base}: no such file`);
  }
  const doc = parseDocument(text);
  const data = doc.toJS();
  if (doc.errors.length > 0 || data === null || typeof data !== "object" || Array.isArray(data))
    throw positionedError(
      at(ctx, ["base"]),
      `the base scenario ${s.base} is not a YAML mapping; run weft validate on it`,
    );
  return { base: data, baseFile };
}

function segmentsOf(p: string, ctx: Ctx, where: (string | number)[]): Segment[] {
  const segments = parsePath(p);
  if (!segments)
    throw positionedError(
      keyAt(ctx, where),
      `"${p}" is not a path into the scenario; expected dotted keys with list indexes, like cluster.groups[0].nics.bandwidth`,
    );
  return segments;
}

function axis(p: string, v: AxisValue[] | z.infer<typeof range>, ctx: Ctx): Axis {
  const segments = segmentsOf(p, ctx, ["axes", p]);
  if (Array.isArray(v)) return { path: p, segments, values: v };
  const [lo, hi] = v.range;
  const fail = (why: string) => positionedError(at(ctx, ["axes", p]), `axis ${p}: ${why}`);
  if (v.step !== undefined && v.factor !== undefined) throw fail("give a step or a factor, not both");
  if (hi < lo) throw fail(`the range [${lo}, ${hi}] is empty; expected [min, max] with min ≤ max`);
  if (v.factor !== undefined && lo <= 0) throw fail("a range with a factor must start above 0");
  const values: number[] = [];
  for (let x = lo, i = 0; x <= hi * (1 + 1e-12); i++) {
    values.push(Number(x.toPrecision(12)));
    if (values.length > MAX_AXIS_VALUES)
      throw fail(`more than ${MAX_AXIS_VALUES} values; expected a coarser step`);
    x = v.factor !== undefined ? x * v.factor : lo + (i + 1) * (v.step ?? 1);
  }
  return { path: p, segments, values };
}

function derived(p: string, text: string, ctx: Ctx): Derived {
  return {
    position: at(ctx, ["derive", p]),
    path: p,
    segments: segmentsOf(p, ctx, ["derive", p]),
    expression: expression(text, ctx, ["derive", p]),
    text,
  };
}

function constraint(c: string | { when: string; reason?: string }, i: number, ctx: Ctx): Constraint {
  const text = typeof c === "string" ? c : c.when;
  const where = typeof c === "string" ? ["constraints", i] : ["constraints", i, "when"];
  return {
    position: at(ctx, where),
    expression: expression(text, ctx, where),
    reason: typeof c === "string" || c.reason === undefined ? text : c.reason,
  };
}

function expression(text: string, ctx: Ctx, where: (string | number)[]): Expr {
  try {
    return parseExpression(text);
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    const pos = at(ctx, where);
    // Point at the offending character when the expression sits on one line of the file.
    const col = pos.col !== undefined ? pos.col + e.column - 1 : undefined;
    throw positionedError({ ...pos, ...(col !== undefined ? { col } : {}) }, `in "${text}": ${e.message}`);
  }
}

/** `goodput per dollar` → `goodputPerDollar`; metric names pass through. */
export function metricName(text: string): string {
  const words = text.trim().split(/\s+/);
  return words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join("");
}

function objectives(
  o: { minimize?: string | string[]; maximize?: string | string[] } | undefined,
): Objective[] {
  const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  return [
    ...list(o?.minimize).map((m) => ({ metric: metricName(m), sense: "minimize" as const })),
    ...list(o?.maximize).map((m) => ({ metric: metricName(m), sense: "maximize" as const })),
  ];
}

/**
 * How names in expressions resolve: an axis or derived path as written, or the last key of an axis path
 * when no other axis ends the same way (`tp` for `workload.training.parallelism.tp`), else a path into the
 * point's scenario document.
 */
export function nameResolver(
  axes: readonly { path: string; segments: Segment[] }[],
): (name: string) => Segment[] | undefined {
  const byLast = new Map<string, Segment[] | null>();
  for (const a of axes) {
    const last = String(a.segments[a.segments.length - 1]);
    byLast.set(last, byLast.has(last) ? null : a.segments);
  }
  return (name) => {
    if (!name.includes(".") && !name.includes("[")) {
      const short = byLast.get(name);
      if (short) return short;
    }
    return parsePath(name);
  };
}
