/**
 * Where every key and value of a scenario document was written, so that any stage can report
 * `file:line:col` for its own errors. Paths are the document's keys as written, dotted
 * (`cluster.groups.0.nodes`); messages print them as `cluster.groups[0].nodes`.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import type { SourcePosition, WeftError } from "../errors.js";
import { positionedError } from "../errors.js";
import type { Scenario } from "./types.js";

export type Path = ReadonlyArray<string | number>;

export interface SourceIndex {
  /** Position of each value, by dotted path ("" = the document). */
  values: Record<string, SourcePosition>;
  /** Position of each key, by dotted path of its value. */
  keys: Record<string, SourcePosition>;
}

export function pathKey(path: Path | string): string {
  return typeof path === "string" ? path : path.join(".");
}

/** `cluster.groups[0].nics` */
export function humanPath(path: Path): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out === "" ? "the document" : out;
}

/** Walks the parsed document and records the position of every key and value. */
export function indexDocument(doc: Document, lines: LineCounter, file?: string): SourceIndex {
  const named = file !== undefined ? { file } : {};
  const index: SourceIndex = { values: { "": { ...named, line: 1, col: 1 } }, keys: {} };
  const at = (offset: number): SourcePosition => ({ ...named, ...lines.linePos(offset) });
  const seen = new Set<Node>();
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (!node || typeof node !== "object") return;
    const n = node as Node;
    if (n.range) index.values[pathKey(path)] = at(n.range[0]);
    // What an alias expands to was indexed where its anchor is; errors inside it point at the alias.
    if (isAlias(n)) return;
    const target = n;
    if (seen.has(target)) return;
    seen.add(target);
    if (isMap(target)) {
      for (const pair of target.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const child = [...path, key];
        const keyNode = pair.key as Node | null;
        if (keyNode?.range) index.keys[pathKey(child)] = at(keyNode.range[0]);
        if (pair.value) walk(pair.value, child);
        else if (keyNode?.range) index.values[pathKey(child)] = at(keyNode.range[0]);
      }
    } else if (isSeq(target)) {
      for (let i = 0; i < target.items.length; i++) walk(target.items[i], [...path, i]);
    }
    seen.delete(target);
  };
  walk(doc.contents, []);
  return index;
}

/** The position of the value at `path`, or of its nearest ancestor that was written. */
export function lookup(map: Record<string, SourcePosition> | undefined, path: Path | string): SourcePosition {
  if (!map) return {};
  let key = pathKey(path);
  for (;;) {
    const pos = map[key];
    if (pos) return pos;
    if (key === "") return {};
    const dot = key.lastIndexOf(".");
    key = dot < 0 ? "" : key.slice(0, dot);
  }
}

/**
 * Where `path` (dotted as written, `workload.training.parallelism.tp`, or an array) is in the scenario's
 * file; the nearest written ancestor when the key itself was left to its default.
 */
export function positionOf(scenario: Scenario, path: Path | string): SourcePosition {
  const pos = lookup(scenario.sourceMap, path);
  return pos.file !== undefined || scenario.file === undefined ? pos : { ...pos, file: scenario.file };
}

/** A WeftError whose message starts with the `file:line:col` of `path` in the scenario. */
export function scenarioError(scenario: Scenario, path: Path | string, message: string): WeftError {
  return positionedError(positionOf(scenario, path), message);
}
