/**
 * Reads nccl-tests results: the stdout of `all_reduce_perf` and its siblings, or a CSV with `size_bytes`
 * and `oop_time_us` columns (as in data/calibration/). The out-of-place time is what the fit uses.
 *
 * Stdout: the columns of a result row are the ones its header line names
 * (`#  size  count  type  redop  root  time  algbw  busbw #wrong  time ...`); versions differ (2.10 has no
 * `root`, older all_gather / reduce_scatter / alltoall no `redop`), and times of 10 ms and more print
 * without decimals, so the number formats cannot tell the columns apart. Without a header, a row is read
 * from its end: it always closes with time, algbw, busbw, #wrong out of place and the same in place.
 */
import path from "node:path";
import { WeftError } from "../errors.js";
import type { CollectiveOp } from "../scenario/types.js";

export interface NcclRow {
  bytes: number;
  /** Out-of-place time, seconds. */
  timeS: number;
  /** Line of the file it came from (1-based), for messages. */
  line: number;
}

export interface HostRanks {
  host: string;
  ranks: number;
  /** Line of the first rank line that names the host, for messages. */
  line: number;
}

export interface NcclRun {
  file: string;
  /** From `# Collective test starting: <name>_perf`, else the file name; undefined when neither says. */
  op?: CollectiveOp;
  /** Where the file says its op, for messages: `line 1 (# Collective test starting: all_reduce_perf)`. */
  opSource?: string;
  /** From the `#  Rank  N ... on <host>` lines, when the file lists them. */
  ranks?: number;
  hosts?: number;
  /** Ranks on each host, hosts in the order the file first names them; with `ranks`. */
  hostRanks?: HostRanks[];
  rows: NcclRow[];
  /** Rows that were skipped, and why. */
  notes: string[];
}

const BINARIES: Record<string, CollectiveOp> = {
  all_reduce: "all-reduce",
  allreduce: "all-reduce",
  all_gather: "all-gather",
  allgather: "all-gather",
  reduce_scatter: "reduce-scatter",
  reducescatter: "reduce-scatter",
  alltoall: "all-to-all",
  all_to_all: "all-to-all",
  broadcast: "broadcast",
  sendrecv: "send-recv",
  send_recv: "send-recv",
};

/** The collective an nccl-tests binary or file name names (`all_reduce_perf`, `nccl_allreduce_...csv`). */
export function opOfName(name: string): CollectiveOp | undefined {
  // Hyphens as underscores: weft's own output and file names say `all-reduce`, `reduce-scatter`.
  const lower = name.toLowerCase().replace(/-/g, "_");
  for (const [key, op] of Object.entries(BINARIES)) if (lower.includes(key)) return op;
  if (/(^|[^a-z])reduce([^_a-z]|_perf|$)/.test(lower)) return "reduce";
  return undefined;
}

/** One whitespace- or comma-separated value and its 1-based column, for messages. */
interface Cell {
  text: string;
  col: number;
}

/** Where a row's size and out-of-place time are, as a header line names them. */
interface Layout {
  size: number;
  time: number;
  names: string[];
  line: number;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const TEST_LINE = /Collective test starting:\s*(\S+)/;
// Newer nccl-tests print `Group N` after the rank; older ones and rccl-tests do not.
const RANK_LINE = /^#\s*Rank\s+(\d+)\s+(?:Group\s+\d+\s+)?Pid\s+\d+\s+on\s+(\S+)/;
const NO_ROWS =
  "no result rows; expected the output of an nccl-tests binary (all_reduce_perf -b 8 -e 8G -f 2 ...) or a CSV with size_bytes and oop_time_us";

// Launchers that label each line with its rank: `mpirun --tag-output` ([1,0]<stdout>:) and `srun --label` (0: ).
const LAUNCHER_TAG = /^(\[\d+,\d+\]<std(?:out|err)>:|\s*\d+: )/;

export function parseNcclTests(text: string, file: string): NcclRun {
  const lines = text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .map((l) => l.replace(LAUNCHER_TAG, ""));
  const first = lines.find((l) => l.trim() !== "" && !l.startsWith("#")) ?? "";
  return /size_bytes|oop_time_us/.test(first) ? parseCsv(lines, file) : parseStdout(lines, file);
}

function cellsOf(line: string): Cell[] {
  return [...line.matchAll(/\S+/g)].map((m) => ({ text: m[0], col: (m.index ?? 0) + 1 }));
}

function csvCells(line: string): Cell[] {
  const out: Cell[] = [];
  let at = 0;
  for (const part of line.split(",")) {
    out.push({ text: part.trim(), col: at + part.length - part.trimStart().length + 1 });
    at += part.length + 1;
  }
  return out;
}

function fail(file: string, line: number, col: number, detail: string): never {
  throw new WeftError(detail, { file, line, col });
}

/** A row's size: a whole number of bytes. */
function bytesOf(c: Cell, file: string, line: number): number {
  const n = Number(c.text);
  if (!/^\d+$/.test(c.text) || !Number.isSafeInteger(n)) {
    fail(file, line, c.col, `"${c.text}" is not a size in bytes; expected a whole number of bytes`);
  }
  return n;
}

/** A row's time in seconds, from microseconds: a finite number above zero. */
function secondsOf(c: Cell, file: string, line: number, what: string): number {
  const us = Number(c.text);
  if (!NUMBER.test(c.text) || !Number.isFinite(us) || us <= 0) {
    fail(
      file,
      line,
      c.col,
      `"${c.text}" is not a time in microseconds; expected a positive number (${what})`,
    );
  }
  return us * 1e-6;
}

/** nccl-tests times an empty buffer too: launch overhead only, nothing for the link constants. */
function zeroNote(file: string, line: number): string {
  return `${file}:${line}: 0-byte row skipped (an empty buffer moves no data to fit)`;
}

interface StdoutState {
  file: string;
  op?: CollectiveOp;
  opSource?: string;
  /** Host and line of each rank line, by rank. */
  hostOfRank: Map<number, { host: string; line: number }>;
  layout?: Layout;
  rows: NcclRow[];
  notes: string[];
}

function parseStdout(lines: string[], file: string): NcclRun {
  const s: StdoutState = { file, hostOfRank: new Map(), rows: [], notes: [] };
  lines.forEach((raw, i) => {
    if (raw.trimStart().startsWith("#")) readComment(raw, i + 1, s);
    else readResult(raw, i + 1, s);
  });
  if (s.rows.length === 0) fail(file, 1, 1, NO_ROWS);
  const name = opOfName(path.basename(file));
  const op = s.op ?? name;
  return {
    file,
    ...(op ? { op, opSource: s.op ? s.opSource : "name" } : {}),
    ...ranksOf(s.hostOfRank),
    rows: s.rows,
    notes: s.notes,
  };
}

function ranksOf(hostOfRank: StdoutState["hostOfRank"]): Pick<NcclRun, "ranks" | "hosts" | "hostRanks"> {
  if (hostOfRank.size === 0) return {};
  const perHost = new Map<string, HostRanks>();
  for (const { host, line } of hostOfRank.values()) {
    const h = perHost.get(host) ?? { host, ranks: 0, line };
    h.ranks++;
    perHost.set(host, h);
  }
  return { ranks: hostOfRank.size, hosts: perHost.size, hostRanks: [...perHost.values()] };
}

function readComment(raw: string, line: number, s: StdoutState): void {
  const trimmed = raw.trim();
  const test = TEST_LINE.exec(trimmed);
  if (test) {
    const op = opOfName(test[1]);
    // One run per file: rows of two collectives would be fitted as one.
    if (s.rows.length > 0 && op !== s.op) {
      fail(
        s.file,
        line,
        raw.indexOf(test[1]) + 1,
        `a second run (${test[1]}) after rows of ${s.opSource ?? "the first"}; expected one collective per file: split it at this line`,
      );
    }
    s.op = op;
    s.opSource = `line ${line} (# Collective test starting: ${test[1]})`;
  }
  const rank = RANK_LINE.exec(trimmed);
  if (rank) s.hostOfRank.set(Number(rank[1]), { host: rank[2], line });
  const layout = headerLayout(raw, line, s.file);
  if (layout) s.layout = layout;
}

/** The column layout a `#  size  count  type ... time ...` line names; undefined for other comments. */
function headerLayout(raw: string, line: number, file: string): Layout | undefined {
  const cells = cellsOf(raw.replace("#", " "));
  if (cells[0]?.text !== "size") return undefined;
  const names = cells.map((c) => c.text);
  const time = names.indexOf("time");
  if (time < 0) {
    fail(
      file,
      line,
      cells[0].col,
      "this header names no time column; expected nccl-tests' header (size count type redop root time algbw busbw #wrong ...)",
    );
  }
  return { size: 0, time, names, line };
}

function readResult(raw: string, line: number, s: StdoutState): void {
  const cells = cellsOf(raw);
  // Rows start with their size; other lines (NCCL INFO / WARN messages, launcher output) are not results.
  if (cells.length === 0 || !NUMBER.test(cells[0].text)) return;
  const time = timeColumn(cells, s.layout, s.file, line);
  const bytes = bytesOf(cells[s.layout?.size ?? 0], s.file, line);
  if (bytes === 0) {
    s.notes.push(zeroNote(s.file, line));
    return;
  }
  const timeS = secondsOf(cells[time], s.file, line, "the out-of-place time column");
  s.rows.push({ bytes, timeS, line });
  // The out-of-place #wrong (three columns after its time): a run that moved wrong data is suspect.
  const wrong = s.layout ? cells[s.layout.names.indexOf("#wrong")] : cells[time + 3];
  if (wrong && /^\d+$/.test(wrong.text) && Number(wrong.text) > 0) {
    s.notes.push(
      `${s.file}:${line}: ${wrong.text} wrong values at ${bytes} B (nccl-tests' #wrong): the run's data was corrupted; its time is fitted all the same`,
    );
  }
}

/** Index of the out-of-place time in a row: the header's, else counted from the row's end. */
function timeColumn(cells: Cell[], layout: Layout | undefined, file: string, line: number): number {
  if (layout) {
    if (cells.length !== layout.names.length) {
      const last = cells[Math.min(cells.length, layout.names.length) - 1];
      const col =
        cells.length > layout.names.length ? cells[layout.names.length].col : last.col + last.text.length;
      fail(
        file,
        line,
        col,
        `${cells.length} values, but the header on line ${layout.line} names ${layout.names.length} columns (${layout.names.join(" ")}); expected one value per column`,
      );
    }
    return layout.time;
  }
  const time = cells.length - 8;
  if (time < 3 || time > 5 || NUMBER.test(cells[2].text)) {
    fail(
      file,
      line,
      1,
      `cannot tell which column is the time: no header line (#  size  count  type  redop  root  time  algbw  busbw #wrong ...) comes before this row, and its ${cells.length} values are not size, count, type, [redop,] [root,] then time, algbw, busbw, #wrong out of place and in place; expected nccl-tests' output with its header lines`,
    );
  }
  return time;
}

function parseCsv(lines: string[], file: string): NcclRun {
  const start = lines.findIndex((l) => l.trim() !== "" && !l.startsWith("#"));
  const header = csvCells(lines[start]).map((c) => c.text);
  const size = header.indexOf("size_bytes");
  const time = header.indexOf("oop_time_us");
  if (size < 0 || time < 0) {
    fail(
      file,
      start + 1,
      1,
      `no ${size < 0 ? "size_bytes" : "oop_time_us"} column; expected size_bytes and oop_time_us`,
    );
  }
  const rows: NcclRow[] = [];
  const notes: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    if (lines[i].trim() === "" || lines[i].startsWith("#")) continue;
    const cells = csvCells(lines[i]);
    if (cells.length !== header.length) {
      fail(
        file,
        i + 1,
        1,
        `${cells.length} values, but the header on line ${start + 1} names ${header.length} columns (${header.join(",")}); expected one value per column`,
      );
    }
    const bytes = bytesOf(cells[size], file, i + 1);
    if (bytes === 0) notes.push(zeroNote(file, i + 1));
    else rows.push({ bytes, timeS: secondsOf(cells[time], file, i + 1, "oop_time_us"), line: i + 1 });
  }
  if (rows.length === 0) fail(file, start + 1, 1, NO_ROWS);
  const op = opOfName(path.basename(file));
  return { file, ...(op ? { op, opSource: "name" } : {}), rows, notes };
}

/** nccl-tests' stdout for a sweep (what `weft calibrate` reads; also how tests write synthetic runs). */
export function formatNcclTests(
  binary: string,
  hosts: string[],
  perHost: number,
  rows: { bytes: number; timeS: number; busbw: number }[],
): string {
  const out = [
    `# Collective test starting: ${binary}`,
    `# nThread 1 nGpus 1 minBytes ${rows[0]?.bytes ?? 8} maxBytes ${rows.at(-1)?.bytes ?? 8} step: 2(factor) warmup iters: 5 iters: 20 agg iters: 1 validation: 1 graph: 0`,
    "#",
    "# Using devices",
  ];
  let rank = 0;
  for (const host of hosts) {
    for (let d = 0; d < perHost; d++) {
      out.push(
        `#  Rank ${String(rank++).padStart(2)} Group  0 Pid  ${1000 + rank} on ${host} device  ${d} [0x00] GPU`,
      );
    }
  }
  out.push(
    "#",
    "#                                                              out-of-place                       in-place          ",
    "#       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong",
    "#        (B)    (elements)                               (us)  (GB/s)  (GB/s)            (us)  (GB/s)  (GB/s)       ",
  );
  for (const r of rows) {
    const us = (r.timeS * 1e6).toFixed(2);
    const alg = (r.bytes / r.timeS / 1e9).toFixed(2);
    const bus = (r.busbw / 1e9).toFixed(2);
    out.push(
      `${String(r.bytes).padStart(12)}  ${String(Math.max(1, r.bytes / 4)).padStart(12)}     float     sum      -1  ${us.padStart(7)}  ${alg.padStart(6)}  ${bus.padStart(6)}      0  ${us.padStart(7)}  ${alg.padStart(6)}  ${bus.padStart(6)}      0`,
    );
  }
  out.push("# Out of bounds values : 0 OK", "#");
  return `${out.join("\n")}\n`;
}
