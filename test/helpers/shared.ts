// The published reference data lives beside the repository, in ../shared/data (a copy in CI).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function sharedDataPath(relative: string): string {
  return path.resolve(repoRoot, "../shared/data", relative);
}

/** Reads a CSV of the shared data: skips `#` comment lines, returns rows keyed by the header. */
export function readSharedCsv(relative: string): Record<string, string>[] {
  const lines = readFileSync(sharedDataPath(relative), "utf8")
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
