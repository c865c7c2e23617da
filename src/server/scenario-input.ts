/**
 * A scenario sent by a client. Files it names (a traffic connection matrix, an inference request trace, a
 * job trace) must come with it as uploaded content: a name in the scenario is looked up among the uploads only, never
 * on the server's disk. The uploads are written to a fresh private folder the scenario is parsed in, and
 * the loader checks every name against them before it opens anything (`parseScenario`'s `uploads`).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { WeftError } from "../errors.js";
import { parseScenario } from "../scenario/load.js";
import type { Scenario } from "../scenario/types.js";

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
  const dir = mkdtempSync(path.join(tmpdir(), "weft-serve-"));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
    const file = path.join(dir, SCENARIO_NAME);
    const scenario = parseIn(text, file, dir, Object.keys(files));
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

/**
 * Parses at `file`, naming no file but `uploads` (the loader checks every name before it opens anything,
 * after the document's size, depth and alias limits); a WeftError becomes the client's problems, with the
 * private folder taken out.
 */
export function parseIn(text: string, file: string, dir: string, uploads: string[]): Scenario {
  try {
    return parseScenario(text, file, { uploads });
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
