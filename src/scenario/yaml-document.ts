/**
 * A YAML (or JSON) document read with the position of every node: size, depth and alias limits before any
 * walk, syntax errors at their line, then the plain data with the context that locates later errors in
 * it. The scenario loader and the job-trace reader share it, so both report `file:line:col`.
 */
import path from "node:path";
import { type Document, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import type { SourcePosition } from "../errors.js";
import { formatPosition, positionedError } from "../errors.js";
import { MAX_ALIASES } from "../limits.js";
import type { Ctx } from "./context.js";
import { formatIssue, issueMap, type PositionedMessage } from "./issues.js";
import { indexDocument, type Path } from "./source-map.js";
import { checkDocument, checkText } from "./yaml-limits.js";

/** At most this many schema errors are reported at once, one per line. */
const MAX_REPORTED = 10;

export interface PositionedDocument {
  data: unknown;
  /** Where each node is, and the folder relative paths in the document resolve against. */
  ctx: Ctx;
}

/**
 * Parses `text`; `file` names it in messages and anchors relative paths (the working directory without
 * it); `what` names the kind of document in limit messages ("scenario", "job trace").
 */
export function readPositioned(text: string, file: string | undefined, what: string): PositionedDocument {
  checkText(text, file, what);
  const lines = new LineCounter();
  // yaml's own duplicate-key check compares every key with every other (a 50,000-key mapping takes
  // seconds); checkDocument finds duplicates with a set instead.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: false });
  if (doc.errors.length > 0) throw syntaxError(doc, file);
  checkDocument(doc, lines, file, what);
  const ctx: Ctx = {
    file,
    dir: file !== undefined && !file.startsWith("<") ? path.dirname(path.resolve(file)) : process.cwd(),
    index: indexDocument(doc, lines, file),
    warnings: [],
  };
  return { data: toPlain(doc, file), ctx };
}

/**
 * `data` checked against `schema`; every issue becomes a located message, at most MAX_REPORTED of them.
 * `base` is where `data` sits in the document (a part of it checked on its own).
 */
export function checkSchema<S extends z.ZodType>(
  schema: S,
  data: unknown,
  ctx: Ctx,
  base: Path = [],
): z.output<S> {
  const parsed = schema.safeParse(data, { reportInput: true, error: issueMap });
  if (parsed.success) return parsed.data;
  throw schemaError(
    parsed.error.issues.flatMap((iss) => formatIssue({ ...iss, path: [...base, ...iss.path] } as never, ctx)),
  );
}

/** The document as plain data; an alias that expands too far is a located error, not a blown heap. */
function toPlain(doc: Document, file: string | undefined): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    throw positionedError(
      { ...(file !== undefined ? { file } : {}), line: 1, col: 1 },
      `YAML aliases expand too far (${e.message.replace(/\.$/, "")}); expected at most ${MAX_ALIASES} alias expansions`,
    );
  }
}

function syntaxError(doc: Document, file: string | undefined): Error {
  const e = doc.errors[0];
  const pos: SourcePosition = { ...(file !== undefined ? { file } : {}), ...(e.linePos ? e.linePos[0] : {}) };
  // yaml appends " at line L, column C:" and a source excerpt; the position is already in front.
  const what = e.message.split(/ at line \d+, column \d+/)[0];
  const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more)` : "";
  return positionedError(pos, `YAML syntax error: ${what}${more}; expected valid YAML or JSON`);
}

/** The schema's errors in document order, one per line; the error's position is the first one's. */
function schemaError(messages: PositionedMessage[]): Error {
  const sorted = [...messages].sort(
    (a, b) =>
      (a.position.line ?? 0) - (b.position.line ?? 0) || (a.position.col ?? 0) - (b.position.col ?? 0),
  );
  const shown = sorted.slice(0, MAX_REPORTED);
  const text = shown
    .map((m, i) => (i === 0 ? m.message : `${formatPosition(m.position)}${m.message}`))
    .join("\n");
  const more = sorted.length > shown.length ? `\n(${sorted.length - shown.length} more errors)` : "";
  return positionedError(shown[0].position, text + more);
}
