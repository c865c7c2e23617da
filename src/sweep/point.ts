/**
 * One point of a sweep, from axis values to a validated scenario: the base document with each axis set,
 * the derived values computed, the constraints checked (a point that breaks one is skipped, counted under
 * its reason), then parsed as any scenario file is. A point the scenario rules reject is invalid, with the
 * rule's message and the axis values that led to it.
 */
import { positionedError, type SourcePosition, WeftError } from "../errors.js";
import { parseScenario } from "../scenario/load.js";
import type { Scenario } from "../scenario/types.js";
import { scenarioHash } from "../store/hash.js";
import { evaluate, truthy, type Value } from "./expression.js";
import { getPath, type Segment, setPath } from "./paths.js";
import { gridPoint } from "./sample.js";
import { type AxisValue, nameResolver, type SweepSpec } from "./spec.js";

export type Inputs = Record<string, AxisValue>;

export type PointStatus = "ready" | "skipped" | "invalid";

export type Materialized =
  | {
      status: "ready";
      inputs: Inputs;
      label: string;
      doc: Record<string, unknown>;
      scenario: Scenario;
      hash: string;
    }
  | { status: "skipped" | "invalid"; inputs: Inputs; label: string; reason: string };

/** What a sweep needs to build its points, prepared once. */
export interface PointFactory {
  spec: SweepSpec;
  resolve: (name: string) => Segment[] | undefined;
  /** Short names of the axes (`tp`), for labels. */
  shortNames: string[];
}

export function pointFactory(spec: SweepSpec): PointFactory {
  const all = [...spec.axes, ...spec.derived];
  return { spec, resolve: nameResolver(all), shortNames: shortNames(spec.axes.map((a) => a.segments)) };
}

/** The last key of each path, or more of it where two paths end alike. */
function shortNames(paths: Segment[][]): string[] {
  return paths.map((p) => {
    for (let k = 1; k <= p.length; k++) {
      const tail = p.slice(-k);
      const clash = paths.some((q) => q !== p && q.slice(-k).join(".") === tail.join("."));
      if (!clash) return tail.filter((s) => typeof s === "string").join(".") || tail.join(".");
    }
    return p.join(".");
  });
}

/** `tp=8 pp=4 bandwidth=400Gbps` */
export function pointLabel(f: PointFactory, inputs: Inputs): string {
  return f.spec.axes.map((a, i) => `${f.shortNames[i]}=${inputs[a.path]}`).join(" ");
}

export function inputsAt(spec: SweepSpec, gridIndex: number): Inputs {
  const idx = gridPoint(spec.axes, gridIndex);
  const inputs: Inputs = {};
  spec.axes.forEach((a, i) => {
    inputs[a.path] = a.values[idx[i]];
  });
  return inputs;
}

/** The point's scenario document: the base with the axes and derived values set. */
export function pointDocument(
  f: PointFactory,
  inputs: Inputs,
): { doc: Record<string, unknown> } | { reason: string } {
  const doc = structuredClone(f.spec.base);
  for (const a of f.spec.axes) {
    const why = setPath(doc, a.segments, inputs[a.path]);
    if (why) return { reason: `axis ${a.path}: ${why}` };
  }
  for (const d of f.spec.derived) {
    const v = evaluate(d.expression, (n) => lookupName(f, doc, n, d.position, `derive ${d.path}`));
    const why = setPath(doc, d.segments, typeof v === "number" ? Number(v.toPrecision(15)) : v);
    if (why) return { reason: `derive ${d.path}: ${why}` };
  }
  if (f.spec.fidelity) setPath(doc, ["simulation", "fidelity"], f.spec.fidelity);
  return { doc };
}

function lookupName(
  f: PointFactory,
  doc: Record<string, unknown>,
  name: string,
  position: SourcePosition,
  where: string,
): Value {
  const segments = f.resolve(name);
  const v = segments ? getPath(doc, segments) : undefined;
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  throw positionedError(
    position,
    `${where}: "${name}" ${v === undefined ? "has no value" : "is not a number, a quantity or a string"}; ` +
      "expected an axis (its path or last key), a derived value, or a path the base scenario sets",
  );
}

export function materialize(f: PointFactory, inputs: Inputs): Materialized {
  const label = pointLabel(f, inputs);
  const built = pointDocument(f, inputs);
  if ("reason" in built) return { status: "invalid", inputs, label, reason: built.reason };
  const d = built.doc;
  for (const c of f.spec.constraints) {
    const ok = evaluate(c.expression, (n) => lookupName(f, d, n, c.position, `constraint "${c.reason}"`));
    if (!truthy(ok)) return { status: "skipped", inputs, label, reason: c.reason };
  }
  const base = typeof f.spec.base.name === "string" ? f.spec.base.name : f.spec.name;
  d.name = `${base} (${label})`;
  let scenario: Scenario;
  try {
    scenario = parseScenario(JSON.stringify(d), f.spec.baseFile ?? f.spec.file);
  } catch (e) {
    if (!(e instanceof WeftError)) throw e;
    return { status: "invalid", inputs, label, reason: e.detail };
  }
  return { status: "ready", inputs, label, doc: d, scenario, hash: scenarioHash(scenario) };
}
