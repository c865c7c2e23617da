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
import { readFileSync } from "node:fs";
import { WeftError } from "../../errors.js";

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

const SUPPORTED =
  "supported lines: `Nodes N`, `Connections M`, `a->b [id k] [start us] size bytes`, `# comment`";

export function readConnectionMatrix(file: string): ConnectionMatrix {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new WeftError(`cannot read connection matrix ${file}: ${(err as Error).message}`, { file });
  }
  return parseConnectionMatrix(text, file);
}

export function parseConnectionMatrix(text: string, file = "<matrix>"): ConnectionMatrix {
  let nodes = -1;
  let declared = -1;
  const connections: Connection[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const tokens = lines[i].trim().split(/\s+/).filter(Boolean);
    if (tokens.length === 0 || tokens[0].startsWith("#")) continue;
    const fail = (what: string): never => {
      throw new WeftError(`${what}; ${SUPPORTED}`, { file, line });
    };
    const head = tokens[0];
    if (head === "Nodes" || head === "Connections") {
      const v = Number(tokens[1]);
      if (tokens.length !== 2 || !Number.isInteger(v) || v < 0) fail(`${head} needs one whole number`);
      if (head === "Nodes") nodes = v;
      else declared = v;
      continue;
    }
    if (!head.includes("->")) fail(`unsupported line "${lines[i].trim()}"`);
    connections.push(parseConnection(tokens, line, nodes, connections.length + 1, fail));
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
  if (!m) fail(`"${tokens[0]}" is not a connection "a->b" between node numbers`);
  if (nodes < 0) fail(`connection before the "Nodes N" header`);
  const src = Number(m![1]);
  const dst = Number(m![2]);
  for (const n of [src, dst])
    if (n >= nodes) fail(`node ${n} is out of range: the matrix has Nodes ${nodes} (0..${nodes - 1})`);
  let id = position;
  let startS = 0;
  let bytes = -1;
  for (let t = 1; t < tokens.length; t += 2) {
    const key = tokens[t];
    const raw = tokens[t + 1];
    const v = Number(raw);
    if (raw === undefined || !Number.isFinite(v)) fail(`"${key}" needs a number after it`);
    if (key === "start") {
      if (v < 0) fail(`start must be >= 0 us, got ${raw}`);
      startS = v / 1e6;
    } else if (key === "size") {
      if (!Number.isInteger(v) || v < 0) fail(`size must be a whole number of bytes, got ${raw}`);
      bytes = v;
    } else if (key === "id") {
      if (!Number.isInteger(v) || v <= 0) fail(`id must be a whole number > 0, got ${raw}`);
      id = v;
    } else {
      fail(
        `unsupported connection field "${key}" (htsim triggers, messages and priorities are not modelled)`,
      );
    }
  }
  if (bytes < 0) fail(`connection ${tokens[0]} has no "size"`);
  if (src === dst) fail(`connection ${tokens[0]} goes from a node to itself`);
  return { src, dst, id, startS, bytes, line };
}
