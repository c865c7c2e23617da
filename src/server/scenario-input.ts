/**
 * A scenario sent by a client. Files it names (a traffic connection matrix, an inference request trace, a
 * job trace) must come with it as uploaded content: a name in the scenario is looked up among the uploads only, never
 * on the server's disk. The uploads are written to a fresh private folder the scenario is parsed in, and
 * every name is checked against them before the parser could open anything.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { isMap, LineCounter, parseDocument } from "yaml";
import { WeftError } from "../errors.js";
import { parseScenario } from "../scenario/load.js";
import type { Scenario } from "../scenario/types.js";

/** The keys whose values are file names (SCENARIO-v1); `manager.jobs` only when it is not an inline list. */
const FILE_KEYS = [
  ["workload", "traffic", "file"],
  ["workload", "inference", "requests", "trace"],
  ["manager", "jobs"],
] as const;

/** How the scenario is named in messages. */
export const SCENARIO_NAME = "scenario.yaml";

export interface Problem {
  error: string;
  line?: number;
  col?: number;
}

/** A client's mistake in a scenario: reported as 400 with its problems, each at its line. */
export class ScenarioProblems extends Error {
  constructor(readonly problems: Problem[]) {
    super(
      problems.map((p) => (p.line ? `${SCENARIO_NAME}:${p.line}:${p.col}: ${p.error}` : p.error)).join("\n"),
    );
  }
}

/** A parsed scenario and the private folder holding its uploads (removed by `dispose`). */
export interface Workspace {
  scenario: Scenario;
  /** Where the scenario "lives": uploads are beside it. Workers parse the text again at this path. */
  file: string;
  /** The private folder: never shown to the client (see `withoutFolder`). */
  dir: string;
  dispose: () => void;
}

/** Parses a client's scenario with its uploads; throws ScenarioProblems for anything the client got wrong. */
export function openWorkspace(text: string, files: Record<string, string> = {}): Workspace {
  checkFileNames(text, files);
  const dir = mkdtempSync(path.join(tmpdir(), "weft-serve-"));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
    const file = path.join(dir, SCENARIO_NAME);
    const scenario = parseIn(text, file, dir);
    return { scenario, file, dir, dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}

/** A plain-data value with the private folder taken out of every string (names stay, paths go). */
export function withoutFolder<T>(value: T, dir: string): T {
  return JSON.parse(JSON.stringify(value).split(`${dir}${path.sep}`).join("")) as T;
}

/** Parses at `file`; a WeftError becomes the client's problems, with the private folder taken out. */
export function parseIn(text: string, file: string, dir: string): Scenario {
  try {
    return parseScenario(text, file);
  } catch (e) {
    if (e instanceof WeftError) throw new ScenarioProblems(problemsOf(e, dir));
    throw e;
  }
}

/** One problem per line of a WeftError's message (schema errors come several at once). */
export function problemsOf(e: WeftError, dir: string): Problem[] {
  const hide = (s: string) => s.split(`${dir}${path.sep}`).join("");
  const lines = e.detail.split("\n");
  return lines.map((line, i) => {
    if (i === 0) return { error: hide(line), ...at(e.position.line, e.position.col) };
    const m = /^.*?:(\d+):(\d+): (.*)$/.exec(line);
    return m ? { error: hide(m[3]), line: Number(m[1]), col: Number(m[2]) } : { error: hide(line) };
  });
}

function at(line?: number, col?: number): { line?: number; col?: number } {
  return line === undefined ? {} : { line, col: col ?? 1 };
}

/** Every file name in the scenario must be one of the uploads: a plain name, nothing outside. */
function checkFileNames(text: string, files: Record<string, string>): void {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return; // the parser reports these, reading nothing
  // Values from the resolved document, so an alias cannot hide a name; the node only gives the position.
  const data = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  const problems: Problem[] = [];
  for (const key of FILE_KEYS) {
    const value = key.reduce<unknown>(
      (v, k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined),
      data,
    );
    // A list names no file (`manager.jobs` written inline); the schema checks what it holds.
    if (value === undefined || Array.isArray(value)) continue;
    const node = doc.getIn(key as unknown as string[], true) as { range?: [number, number] } | undefined;
    const pos = node?.range ? lines.linePos(node.range[0]) : undefined;
    const where = pos ? { line: pos.line, col: pos.col } : {};
    const name = String(value);
    if (!Object.hasOwn(files, name)) {
      const known = Object.keys(files);
      problems.push({
        error: `${key.join(".")}: "${name}" is not among the uploaded files (${known.length ? known.join(", ") : "none uploaded"}); expected the name of a file sent with the scenario, whose content is uploaded, never a path on the server`,
        ...where,
      });
    }
  }
  if (problems.length) throw new ScenarioProblems(problems);
}
