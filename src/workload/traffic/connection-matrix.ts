/**
 * htsim connection matrices (the `-tm` files of htsim's datacenter simulators):
 *
 *   Nodes 16
 *   Connections 2
 *   0->13 start 0 size 2000000
 *   3->7 id 5 start 12.5 size 100000
 *
 * `start` is in microseconds (default 0), `size` in bytes, `id` an optional flow id (> 0). Blank lines and
 * `#` comments are skipped. htsim's triggers, failures, messages and priorities are not supported: such a
 * line is an error naming the file and line.
 */
import { WeftError } from "../../errors.js";
import { excerpt } from "../../files/excerpt.js";
import { readInputFile } from "../../files/read-input.js";
import { COUNT_LIMITS, QUANTITY_LIMITS } from "../../limits.js";

export interface Connection {
  src: number;
  dst: number;
  /** htsim flow id, or the connection's 1-based position when the file gives none. */
  id: number;
  startS: number;
  bytes: number;
  /** Line of the file it came from (1-based). */
  line: number;
}

export interface ConnectionMatrix {
  nodes: number;
  connections: Connection[];
}

/** A non-negative decimal number: digits, an optional fraction and exponent. */
const DECIMAL = /^\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

/** A whole decimal number, or -1. */
function wholeNumber(raw: string | undefined): number {
  return raw !== undefined && /^\d{1,15}$/.test(raw) ? Number(raw) : -1;
}

const SUPPORTED =
  "supported lines: `Nodes N`, `Connections M`, `a->b [id k] [start us] size bytes`, `# comment`";

export function readConnectionMatrix(file: string): ConnectionMatrix {
  let text: string;
  try {
    text = readInputFile(file);
  } catch (err) {
    throw new WeftError(`cannot read the connection matrix ${(err as Error).message}`, { file });
  }
  return parseConnectionMatrix(text, file);
}

export function parseConnectionMatrix(text: string, file = "<matrix>"): ConnectionMatrix {
  let nodes = -1;
  let declared = -1;
  const connections: Connection[] = [];
  const ids = new Map<number, number>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const tokens = lines[i].trim().split(/\s+/).filter(Boolean);
    if (tokens.length === 0 || tokens[0].startsWith("#")) continue;
    const fail = (what: string): never => {
      throw new WeftError(`${what}; ${SUPPORTED}`, { file, line, col: 1 });
    };
    const head = tokens[0];
    if (head === "Nodes" || head === "Connections") {
      const v = wholeNumber(tokens[1]);
      if (tokens.length !== 2 || v < 0 || v > COUNT_LIMITS.senders.max)
        fail(`${head} needs one whole number up to ${COUNT_LIMITS.senders.max}`);
      if (head === "Nodes") nodes = v;
      else declared = v;
      continue;
    }
    if (!head.includes("->")) fail(`unsupported line ${excerpt(lines[i])}`);
    const c = parseConnection(tokens, line, nodes, connections.length + 1, fail);
    if (ids.has(c.id))
      fail(`flow id ${c.id} is used twice (first on line ${ids.get(c.id)}); expected unique ids`);
    ids.set(c.id, line);
    connections.push(c);
  }
  if (nodes < 0) throw new WeftError(`missing "Nodes N" header; ${SUPPORTED}`, { file });
  if (declared >= 0 && declared !== connections.length) {
    throw new WeftError(`the header says Connections ${declared} but the file lists ${connections.length}`, {
      file,
    });
  }
  return { nodes, connections };
}

function parseConnection(
  tokens: string[],
  line: number,
  nodes: number,
  position: number,
  fail: (what: string) => never,
): Connection {
  const m = /^(\d+)->(\d+)$/.exec(tokens[0]);
  if (!m) fail(`${excerpt(tokens[0])} is not a connection "a->b" between node numbers`);
  if (nodes < 0) fail(`connection before the "Nodes N" header`);
  const src = Number(m![1]);
  const dst = Number(m![2]);
  for (const n of [src, dst])
    if (n >= nodes) fail(`node ${n} is out of range: the matrix has Nodes ${nodes} (0..${nodes - 1})`);
  let id = position;
  let startS = 0;
  let bytes = -1;
  const seen = new Set<string>();
  for (let t = 1; t < tokens.length; t += 2) {
    const key = tokens[t];
    const raw = tokens[t + 1];
    if (seen.has(key)) fail(`${excerpt(key)} is given twice; expected each field once`);
    seen.add(key);
    // Decimal only: `0x10` is not 16 here, as htsim's own reader would not take it either.
    const v = raw !== undefined && DECIMAL.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isFinite(v)) fail(`${excerpt(key)} needs a decimal number after it`);
    if (key === "start") {
      if (v > QUANTITY_LIMITS.time.max * 1e6)
        fail(`start must be at most ${QUANTITY_LIMITS.time.max * 1e6} us (a day), got ${excerpt(raw)}`);
      startS = v / 1e6;
    } else if (key === "size") {
      if (!Number.isInteger(v) || v < 1 || v > QUANTITY_LIMITS.size.max)
        fail(`size must be a whole number of bytes from 1 to 2^50 (1 PiB), got ${excerpt(raw)}`);
      bytes = v;
    } else if (key === "id") {
      if (!Number.isInteger(v) || v <= 0 || v > Number.MAX_SAFE_INTEGER)
        fail(`id must be a whole number > 0, got ${excerpt(raw)}`);
      id = v;
    } else {
      fail(
        `unsupported connection field ${excerpt(key)} (htsim triggers, messages and priorities are not modelled)`,
      );
    }
  }
  if (bytes < 0) fail(`connection ${tokens[0]} has no "size"`);
  if (src === dst) fail(`connection ${tokens[0]} goes from a node to itself`);
  return { src, dst, id, startS, bytes, line };
}
