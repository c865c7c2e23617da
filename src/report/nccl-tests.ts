/**
 * A collective sweep printed exactly as nccl-tests' *_perf prints its table (common.cu: the two header
 * lines, `%12li  %12li  %8s  %6s  %6i` then out-of-place and in-place `  %7s  %6.2f  %6.2f  %5s`, the
 * out-of-bounds and `# Avg bus bandwidth` lines), so parsers written for nccl-tests read it unchanged.
 * The model does not tell in-place from out-of-place, so both report the same time; nothing is validated,
 * so `#wrong` is `N/A`, as nccl-tests prints it when run with `-c 0`.
 */
import type { CollectiveResults, CollectiveRow } from "../results/types.js";

/** nccl-tests' reduction and root columns per collective (`-1`: no root). */
const REDOP_ROOT: Record<string, [string, number]> = {
  "all-reduce": ["sum", -1],
  "reduce-scatter": ["sum", -1],
  reduce: ["sum", 0],
  "all-gather": ["none", -1],
  broadcast: ["none", 0],
  "all-to-all": ["none", -1],
  "send-recv": ["sum", -1],
};

const right = (text: string | number, width: number) => String(text).padStart(width);

/** nccl-tests' `%7s` time: 2 decimals below 100 us, 1 below 10,000 us, none above. */
export function ncclTime(us: number): string {
  return right(us >= 10_000 ? us.toFixed(0) : us >= 100 ? us.toFixed(1) : us.toFixed(2), 7);
}

/** C's `%g`: six significant digits, trailing zeros dropped. */
export function cG(x: number): string {
  return String(Number(x.toPrecision(6)));
}

function half(r: CollectiveRow): string {
  return `  ${ncclTime(r.timeUs)}  ${right(r.algbwGBps.toFixed(2), 6)}  ${right(r.busbwGBps.toFixed(2), 6)}  ${right("N/A", 5)}`;
}

export function formatNcclTests(results: CollectiveResults): string {
  const [redop, root] = REDOP_ROOT[results.op] ?? ["sum", -1];
  const blank = (w: number) => " ".repeat(w);
  const lines = [
    `# Collective test starting: ${results.op} on ${results.ranks} ranks (weft, ${results.fidelity} engine)`,
    "#",
    `# ${blank(10)}  ${blank(12)}  ${blank(8)}  ${blank(6)}  ${blank(6)}           out-of-place                       in-place          `,
    `# ${right("size", 10)}  ${right("count", 12)}  ${right("type", 8)}  ${right("redop", 6)}  ${right("root", 6)}  ${right("time", 7)}  ${right("algbw", 6)}  ${right("busbw", 6)} ${right("#wrong", 6)}  ${right("time", 7)}  ${right("algbw", 6)}  ${right("busbw", 6)} ${right("#wrong", 6)}`,
    `# ${right("(B)", 10)}  ${right("(elements)", 12)}  ${blank(8)}  ${blank(6)}  ${blank(6)}  ${right("(us)", 7)}  ${right("(GB/s)", 6)}  ${right("(GB/s)", 6)}  ${blank(5)}  ${right("(us)", 7)}  ${right("(GB/s)", 6)}  ${right("(GB/s)", 6)}  ${blank(5)}`,
  ];
  for (const r of results.rows) {
    const head = `${right(r.sizeBytes, 12)}  ${right(r.count, 12)}  ${right(r.type, 8)}  ${right(redop, 6)}  ${right(root, 6)}`;
    lines.push(`${head}${half(r)}${half(r)}`);
  }
  const avg = results.rows.reduce((s, r) => s + r.busbwGBps, 0) / Math.max(1, results.rows.length);
  lines.push("# Out of bounds values : 0 OK", `# Avg bus bandwidth    : ${cG(avg)} `, "#", "");
  return lines.join("\n");
}
