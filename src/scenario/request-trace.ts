/**
 * Request traces: a CSV of `arrival time (s), prompt tokens, output tokens` per line. An optional header
 * line (any first line whose first cell is not a number), blank lines and `#` comments are skipped.
 * Rows may come in any order; they are sorted by arrival (stable, so equal times keep file order).
 */
import { createRequire } from "node:module";
import { WeftError } from "../errors.js";
import { excerpt } from "../files/excerpt.js";
import { COUNT_LIMITS, QUANTITY_LIMITS } from "../limits.js";
import { formatCount } from "../units/format.js";

export interface TraceRows {
  arrival: Float64Array;
  prompt: Int32Array;
  output: Int32Array;
}

export function parseTrace(text: string, file: string): TraceRows {
  const arrival: number[] = [];
  const prompt: number[] = [];
  const output: number[] = [];
  let sawData = false;
  for (const { record: cells, line } of csvRecords(text, file)) {
    if (!sawData && !isNumber(cells[0])) {
      sawData = true; // a header line
      continue;
    }
    sawData = true;
    if (cells.length < 3) {
      throw new WeftError(
        `trace row has ${cells.length} column(s); expected 3: arrival time in seconds, prompt tokens, output tokens`,
        { file, line, col: 1 },
      );
    }
    arrival.push(cell(cells[0], "arrival time (s)", file, line, 0, false));
    prompt.push(cell(cells[1], "prompt tokens", file, line, 1, true));
    output.push(cell(cells[2], "output tokens", file, line, 1, true));
  }
  if (arrival.length === 0)
    throw new WeftError(
      "trace has no requests (expected lines of: arrival s, prompt tokens, output tokens)",
      { file },
    );
  const order = arrival.map((_, i) => i).sort((a, b) => arrival[a] - arrival[b] || a - b);
  return {
    arrival: Float64Array.from(order, (i) => arrival[i]),
    prompt: Int32Array.from(order, (i) => prompt[i]),
    output: Int32Array.from(order, (i) => output[i]),
  };
}

/**
 * The CSV's records with their line numbers, read by csv-parse (quoted cells, CRLF, `#` comments, blank
 * lines); a malformed file (an unclosed quote) is a WeftError at the line csv-parse names.
 */
function csvRecords(text: string, file: string): { record: string[]; line: number }[] {
  // Loaded on first use: only scenarios that name a trace pay for it (`weft validate` start-up).
  const { parse } = createRequire(import.meta.url)("csv-parse/sync") as typeof import("csv-parse/sync");
  try {
    const rows = parse(text, {
      comment: "#",
      comment_no_infix: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return rows.map((r) => ({ record: r.record, line: r.info.lines }));
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new WeftError(`trace is not valid CSV: ${(e as Error).message}`, {
      file,
      ...(line !== undefined ? { line } : {}),
    });
  }
}

function isNumber(s: string | undefined): boolean {
  return s !== undefined && s !== "" && Number.isFinite(Number(s));
}

/** Token counts are exact and fit the serving tables; arrivals stay within a day. */
const MAX = { tokens: COUNT_LIMITS.tokens.max, seconds: QUANTITY_LIMITS.time.max };

function cell(s: string, what: string, file: string, line: number, min: number, whole: boolean): number {
  // Decimal only: hex and other radixes are not numbers a trace writes.
  const x = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(s) ? Number(s) : Number.NaN;
  const max = whole ? MAX.tokens : MAX.seconds;
  if (!Number.isFinite(x) || x < min || x > max || (whole && !Number.isInteger(x))) {
    const expected = whole
      ? `a whole number from ${min} to ${formatCount(max)}`
      : `a number of seconds from ${min} to ${formatCount(max)}`;
    throw new WeftError(`trace: ${what} is ${excerpt(s)}; expected ${expected}`, { file, line, col: 1 });
  }
  return x;
}
