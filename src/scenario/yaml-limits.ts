/**
 * Limits on a scenario document (or a job trace, read the same way), checked before anything walks it: its size, how deep it nests, and how
 * many aliases it uses. The YAML parser and every walk after it recurse per level, and an alias that
 * names an alias that names an alias ("billion laughs") expands exponentially; each limit here turns such
 * a file into a located error instead of a stack overflow, a hang or an exhausted heap.
 */
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import { positionedError, type SourcePosition } from "../errors.js";
import { MAX_ALIASES, MAX_DEPTH, MAX_FILE_BYTES } from "../limits.js";
import { formatBytes, formatCount } from "../units/format.js";

/** Columns of indentation (spaces and `- ` markers) a line may have before the parser sees it. */
const MAX_INDENT = 4 * MAX_DEPTH;

/**
 * Checks the raw text: its size, the depth of `[`/`{` nesting and the indentation of block nesting. Cheap
 * and iterative, so it runs before the (recursive) parser.
 */
export function checkText(text: string, file: string | undefined, what = "scenario"): void {
  const where = (line: number, col: number): SourcePosition => ({ ...named(file), line, col });
  if (text.length > MAX_FILE_BYTES) {
    throw positionedError(
      where(1, 1),
      `the ${what} is ${formatBytes(text.length)}, more than the ${formatBytes(MAX_FILE_BYTES)} a ${what} may have; expected a ${what} file, not data`,
    );
  }
  let line = 1;
  let col = 0;
  let depth = 0;
  let indent = 0;
  let atLineStart = true;
  let quote = "";
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    col++;
    if (c === "\n") {
      line++;
      col = 0;
      indent = 0;
      atLineStart = true;
      comment = false;
      continue;
    }
    if (comment) continue;
    if (atLineStart) {
      if (c === " " || c === "-" || c === "\t") {
        if (++indent > MAX_INDENT) {
          throw positionedError(
            where(line, col),
            `this line is indented more than ${MAX_INDENT} columns; expected a ${what} nested at most ${MAX_DEPTH} levels deep`,
          );
        }
        continue;
      }
      atLineStart = false;
    }
    if (quote !== "") {
      if (c === "\\" && quote === '"') {
        i++;
        col++;
      } else if (c === quote) quote = "";
      continue;
    }
    // A quote opens a quoted scalar only where a value starts (not the apostrophe in `it's`).
    if ((c === '"' || c === "'") && startsValue(text, i)) quote = c;
    else if (c === "#") comment = true;
    else if (c === "[" || c === "{") {
      if (++depth > MAX_DEPTH) throw tooDeep(where(line, col), what);
    } else if ((c === "]" || c === "}") && depth > 0) depth--;
  }
}

/**
 * Checks the parsed document, iteratively: nesting depth, aliases that name nothing, and the number of
 * aliases. Runs before the source index or `toJS` walk it.
 */
export function checkDocument(
  doc: Document,
  lines: LineCounter,
  file: string | undefined,
  what = "scenario",
): void {
  const at = (node: Node): SourcePosition => ({
    ...named(file),
    ...(node.range ? lines.linePos(node.range[0]) : {}),
  });
  let aliases = 0;
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (!node || typeof node !== "object") continue;
    const n = node as Node;
    if (depth > MAX_DEPTH) throw tooDeep(at(n), what);
    if (isAlias(n)) {
      if (n.resolve(doc) === undefined) {
        throw positionedError(
          at(n),
          `the alias *${n.source} names no anchor; expected an anchor &${n.source} defined before it`,
        );
      }
      if (++aliases > MAX_ALIASES) {
        throw positionedError(
          at(n),
          `more than ${formatCount(MAX_ALIASES)} YAML aliases; a ${what} needs only a few (expected at most ${formatCount(MAX_ALIASES)})`,
        );
      }
      continue;
    }
    if (isMap(n)) checkUniqueKeys(n.items, at);
    if (isMap(n) || isSeq(n)) {
      for (const item of n.items) {
        if (isPair(item)) {
          stack.push({ node: item.key, depth: depth + 1 });
          stack.push({ node: item.value, depth: depth + 1 });
        } else stack.push({ node: item, depth: depth + 1 });
      }
    }
  }
}

function startsValue(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && text[j] === " ") j--;
  return j < 0 || ":[{,-\n?".includes(text[j]);
}

function tooDeep(pos: SourcePosition, what: string) {
  return positionedError(
    pos,
    `the document nests more than ${MAX_DEPTH} levels deep here; expected a ${what} nested at most ${MAX_DEPTH} levels (real ones nest about 6)`,
  );
}

function named(file: string | undefined): SourcePosition {
  return file !== undefined ? { file } : {};
}

/** A mapping's keys are unique (as YAML requires): the second of two is an error, naming the first's line. */
function checkUniqueKeys(items: unknown[], at: (node: Node) => SourcePosition): void {
  const seen = new Map<string, SourcePosition>();
  for (const item of items) {
    if (!isPair(item) || !isScalar(item.key)) continue;
    const value = item.key.value;
    const id = `${typeof value}:${String(value)}`;
    const first = seen.get(id);
    const here = at(item.key);
    if (first) {
      throw positionedError(
        here,
        `YAML syntax error: Map keys must be unique; "${String(value)}" is also on line ${first.line}; expected each key once in a mapping`,
      );
    }
    seen.set(id, here);
  }
}
