/**
 * Reads nccl-tests results: the stdout of `all_reduce_perf` and its siblings (header lines starting with
 * `#`, one row per size: size, count, type, redop, [root,] then out-of-place time (µs), algbw, busbw,
 * #wrong and the same in place), or a CSV with `size_bytes` and `oop_time_us` columns (as in
 * data/calibration/). The out-of-place time is what the fit uses.
 */
import { WeftError } from "../errors.js";
import type { CollectiveOp } from "../scenario/types.js";

export interface NcclRow {
  bytes: number;
  /** Out-of-place time, seconds. */
  timeS: number;
  /** Line of the file it came from (1-based), for messages. */
  line: number;
}

export interface NcclRun {
  file: string;
  /** From `# Collective test starting: <name>_perf`, else the file name; undefined when neither says. */
  op?: CollectiveOp;
  /** From the `#  Rank  N ... on <host>` lines, when the file lists them. */
  ranks?: number;
  hosts?: number;
  rows: NcclRow[];
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
};

/** The collective an nccl-tests binary or file name names (`all_reduce_perf`, `nccl_allreduce_...csv`). */
export function opOfName(name: string): CollectiveOp | undefined {
  const lower = name.toLowerCase();
  for (const [key, op] of Object.entries(BINARIES)) if (lower.includes(key)) return op;
  if (/(^|[^a-z])reduce([^_a-z]|_perf|$)/.test(lower)) return "reduce";
  return undefined;
}

export function parseNcclTests(text: string, file: string): NcclRun {
  const lines = text.split(/\r?\n/);
  const first = lines.find((l) => l.trim() !== "" && !l.startsWith("#")) ?? "";
  return first.includes("size_bytes") ? parseCsv(lines, file) : parseStdout(lines, file);
}

function parseStdout(lines: string[], file: string): NcclRun {
  let op: CollectiveOp | undefined;
  let ranks = 0;
  const hosts = new Set<string>();
  const rows: NcclRow[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith("#")) {
      const test = /Collective test starting:\s*(\S+)/.exec(line);
      if (test) op = opOfName(test[1]);
      const rank = /^#\s*Rank\s+\d+\s+Group\s+\d+\s+Pid\s+\d+\s+on\s+(\S+)/.exec(line);
      if (rank) {
        ranks++;
        hosts.add(rank[1]);
      }
      return;
    }
    if (line === "") return;
    const t = line.split(/\s+/);
    // size count type redop [root] time algbw busbw #wrong time algbw busbw #wrong
    if (t.length < 8 || !/^\d+$/.test(t[0])) return;
    const timeAt = /^-?\d+$/.test(t[4]) && t.length >= 9 ? 5 : 4;
    const bytes = Number(t[0]);
    const us = Number(t[timeAt]);
    if (!(us > 0)) {
      throw new WeftError(
        `${file}:${i + 1}:1: "${t[timeAt]}" is not a time in microseconds; expected an nccl-tests result row (size count type redop root time algbw busbw ...)`,
      );
    }
    rows.push({ bytes, timeS: us * 1e-6, line: i + 1 });
  });
  if (rows.length === 0) {
    throw new WeftError(
      `${file}:1:1: no result rows; expected the output of an nccl-tests binary (all_reduce_perf -b 8 -e 8G -f 2 ...) or a CSV with size_bytes and oop_time_us`,
    );
  }
  return { file, op: op ?? opOfName(file), ...(ranks > 0 ? { ranks, hosts: hosts.size } : {}), rows };
}

function parseCsv(lines: string[], file: string): NcclRun {
  const start = lines.findIndex((l) => l.trim() !== "" && !l.startsWith("#"));
  const header = lines[start].split(",").map((h) => h.trim());
  const size = header.indexOf("size_bytes");
  const time = header.indexOf("oop_time_us");
  if (time < 0) {
    throw new WeftError(`${file}:${start + 1}:1: no oop_time_us column; expected size_bytes and oop_time_us`);
  }
  const rows: NcclRow[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const cells = lines[i].split(",");
    if (lines[i].trim() === "" || lines[i].startsWith("#")) continue;
    const us = Number(cells[time]);
    if (!(us > 0)) {
      throw new WeftError(`${file}:${i + 1}:1: "${cells[time]}" is not a time in microseconds`);
    }
    rows.push({ bytes: Number(cells[size]), timeS: us * 1e-6, line: i + 1 });
  }
  return { file, op: opOfName(file), rows };
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
