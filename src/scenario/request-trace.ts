/**
 * Request traces: a CSV of `arrival time (s), prompt tokens, output tokens` per line. An optional header
 * line (any first line whose first cell is not a number), blank lines and `#` comments are skipped.
 * Rows may come in any order; they are sorted by arrival (stable, so equal times keep file order).
 */
import { createRequire } from "node:module";
import { WeftError } from "../errors.js";

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
        { file, line },
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

function cell(s: string, what: string, file: string, line: number, min: number, whole: boolean): number {
  const x = Number(s);
  if (s === "" || !Number.isFinite(x) || x < min || (whole && !Number.isInteger(x))) {
    const expected = whole ? `a whole number >= ${min}` : `a number of seconds >= ${min}`;
    throw new WeftError(`trace: ${what} is "${s}"; expected ${expected}`, { file, line });
  }
  return x;
}
