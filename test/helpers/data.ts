// The published reference data the project uses, copied into the repository's data/ with its sources.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function dataPath(relative: string): string {
  return path.resolve(repoRoot, "data", relative);
}

/**
 * Reads a CSV of the reference data with csv-parse: `#` lines are comments (only at the start of a line:
 * cells such as `nccl#1455` stay whole), rows keyed by the header.
 */
export function readDataCsv(relative: string): Record<string, string>[] {
  return parse(readFileSync(dataPath(relative), "utf8"), {
    columns: true,
    comment: "#",
    comment_no_infix: true,
    skip_empty_lines: true,
    relax_column_count: true,
  }) as Record<string, string>[];
}

export const REPO_ROOT = repoRoot;
