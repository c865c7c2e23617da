/** What normalization carries: where the document's nodes are, the base folder, and the warnings so far. */

import path from "node:path";
import type { SourcePosition } from "../errors.js";
import { positionedError } from "../errors.js";
import { formatCount } from "../units/format.js";
import { lookup, type Path, pathKey, type SourceIndex } from "./source-map.js";

export interface Ctx {
  /** The file name as messages print it. */
  file?: string;
  /** Folder that relative paths in the scenario are resolved against. */
  dir: string;
  index: SourceIndex;
  warnings: string[];
  /**
   * When set, the only files the scenario may name: plain names of files uploaded beside it (a server's
   * client), checked before anything is opened. Otherwise any path, relative to `dir`.
   */
  uploads?: ReadonlySet<string>;
}

/** Position of the value at `path` (or its nearest written ancestor). */
export function at(ctx: Ctx, path: Path): SourcePosition {
  return withFile(ctx, lookup(ctx.index.values, path));
}

/** Position of the key of `path`, falling back to its value's. */
export function keyAt(ctx: Ctx, path: Path): SourcePosition {
  return withFile(ctx, ctx.index.keys[pathKey(path)] ?? lookup(ctx.index.values, path));
}

function withFile(ctx: Ctx, pos: SourcePosition): SourcePosition {
  return pos.file === undefined && ctx.file !== undefined ? { ...pos, file: ctx.file } : pos;
}

/** Throws a positioned WeftError at the value (or the key) of `path`. */
export function fail(ctx: Ctx, path: Path, message: string, part: "key" | "value" = "value"): never {
  throw positionedError(part === "key" ? keyAt(ctx, path) : at(ctx, path), message);
}

/** `1,536` */
export function n(x: number): string {
  return formatCount(x);
}

/** `an accelerator group`, `a memory group` */
export function groupKindPhrase(kind: string): string {
  return `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind} group`;
}

/**
 * The file a scenario names at `where` (a traffic matrix, a request or job trace), resolved against its
 * folder; with `ctx.uploads`, a name that is not one of the uploads is an error before anything is read.
 */
export function scenarioFile(ctx: Ctx, where: Path, name: string): string {
  if (ctx.uploads && !ctx.uploads.has(name)) {
    const known = [...ctx.uploads];
    fail(
      ctx,
      where,
      `"${name}" is not among the uploaded files (${known.length ? known.join(", ") : "none uploaded"}); expected the name of a file sent with the scenario, whose content is uploaded, never a path on the server`,
    );
  }
  return path.resolve(ctx.dir, name);
}
