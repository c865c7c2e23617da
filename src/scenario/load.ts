/**
 * Loading a scenario: YAML (or JSON, which YAML reads too) → schema check → normalized Scenario. Every
 * error is a WeftError whose message starts with `file:line:col` of the offending node.
 */
import path from "node:path";
import { type Document, LineCounter, parseDocument } from "yaml";
import type { SourcePosition } from "../errors.js";
import { formatPosition, positionedError } from "../errors.js";
import { readInputFile } from "../files/read-input.js";
import { MAX_ALIASES } from "../limits.js";
import type { Ctx } from "./context.js";
import { formatIssue, issueMap, type PositionedMessage } from "./issues.js";
import { normalizeScenario } from "./normalize.js";
import { scenarioSchema } from "./schema.js";
import { indexDocument } from "./source-map.js";
import type { Scenario } from "./types.js";
import { checkDocument, checkText } from "./yaml-limits.js";

/** At most this many schema errors are reported at once, one per line. */
const MAX_REPORTED = 10;

/**
 * Parses and normalizes a scenario. `file` names it in messages and anchors relative paths (traces,
 * connection matrices); without it they resolve against the working directory.
 */
export function parseScenario(text: string, file?: string): Scenario {
  checkText(text, file);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (doc.errors.length > 0) throw syntaxError(doc, file);
  checkDocument(doc, lines, file);
  const index = indexDocument(doc, lines, file);
  const ctx: Ctx = {
    file,
    dir: file !== undefined && !file.startsWith("<") ? path.dirname(path.resolve(file)) : process.cwd(),
    index,
    warnings: [],
  };
  const data = toPlain(doc, file);
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw positionedError(
      { ...(file !== undefined ? { file } : {}), line: 1, col: 1 },
      `the scenario must be a mapping with name, cluster and workload; got ${data === null || data === undefined ? "an empty document" : Array.isArray(data) ? "a list" : `${typeof data} ${JSON.stringify(data)}`}`,
    );
  }
  const parsed = scenarioSchema.safeParse(data, { reportInput: true, error: issueMap });
  if (!parsed.success)
    throw schemaError(parsed.error.issues.flatMap((iss) => formatIssue(iss as never, ctx)));
  const scenario: Scenario = normalizeScenario(parsed.data, ctx);
  if (file !== undefined && !file.startsWith("<")) scenario.file = path.resolve(file);
  scenario.sourceMap = index.values;
  return scenario;
}

/** Reads and parses a scenario file (YAML or JSON). */
export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readInputFile(file);
  } catch (e) {
    throw positionedError({ file }, `cannot read the scenario ${(e as Error).message}`);
  }
  return parseScenario(text, file);
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
