// The published reference data the project uses, copied into the repository's data/ with its sources.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function dataPath(relative: string): string {
  return path.resolve(repoRoot, "data", relative);
}

/** Reads a CSV of the reference data: skips `#` comment lines, returns rows keyed by the header. */
export function readDataCsv(relative: string): Record<string, string>[] {
  const lines = readFileSync(dataPath(relative), "utf8")
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "" && !l.startsWith("#"));
  const header = splitCsvLine(lines[0]);
  return lines.slice(1).map((line) => {
    const cells = splitCsvLine(line);
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]));
  });
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === "," && !quoted) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export const REPO_ROOT = repoRoot;
