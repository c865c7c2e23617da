/**
 * The scenarios users start from (examples/ in the package), with the files they name attached as uploads,
 * so the dashboard can run every one of them through the same upload-only API.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export interface Example {
  /** File name without `.yaml`. */
  name: string;
  /** The scenario's `name:`. */
  title: string;
  text: string;
  files: Record<string, string>;
}

/** examples/ is two folders up from both src/server and dist/server. */
const EXAMPLES_DIR = fileURLToPath(new URL("../../examples/", import.meta.url));

let cached: Example[] | undefined;

export function examples(): Example[] {
  cached ??= readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => loadExample(path.join(EXAMPLES_DIR, f)));
  return cached;
}

function loadExample(file: string): Example {
  let text = readFileSync(file, "utf8");
  const doc = (parse(text) ?? {}) as {
    name?: string;
    workload?: Record<string, Record<string, unknown>>;
    manager?: { jobs?: unknown };
  };
  const files: Record<string, string> = {};
  const named = [
    doc.workload?.traffic?.file,
    (doc.workload?.inference?.requests as { trace?: unknown })?.trace,
    doc.manager?.jobs,
  ];
  for (const ref of named) {
    if (typeof ref !== "string") continue;
    const base = path.basename(ref);
    files[base] = readFileSync(path.resolve(path.dirname(file), ref), "utf8");
    text = text.split(ref).join(base);
  }
  return { name: path.basename(file, ".yaml"), title: doc.name ?? path.basename(file), text, files };
}
