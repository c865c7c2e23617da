/**
 * Request traces: a CSV of `arrival time (s), prompt tokens, output tokens` per line. An optional header
 * line (any first line whose first cell is not a number), blank lines and `#` comments are skipped.
 * Rows may come in any order; they are sorted by arrival (stable, so equal times keep file order).
 */
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
  const lines = text.split(/\r?\n/);
  let sawData = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === "" || raw.startsWith("#")) continue;
    const cells = raw.split(",").map((c) => c.trim());
    if (!sawData && !isNumber(cells[0])) {
      sawData = true; // a header line
      continue;
    }
    sawData = true;
    const line = i + 1;
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
