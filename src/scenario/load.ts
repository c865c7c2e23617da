/**
 * Loading a scenario: YAML (or JSON, which YAML reads too) → schema check → normalized Scenario. Every
 * error is a WeftError whose message starts with `file:line:col` of the offending node.
 */
import path from "node:path";
import { positionedError } from "../errors.js";
import { excerpt } from "../files/excerpt.js";
import { readInputFile } from "../files/read-input.js";
import { normalizeScenario } from "./normalize.js";
import { scenarioSchema } from "./schema.js";
import type { Scenario } from "./types.js";
import { checkSchema, readPositioned } from "./yaml-document.js";

export interface ParseOptions {
  /** The only files the scenario may name: plain names of files uploaded beside it (a server's client). */
  uploads?: Iterable<string>;
}

/**
 * Parses and normalizes a scenario. `file` names it in messages and anchors relative paths (traces,
 * connection matrices); without it they resolve against the working directory.
 */
export function parseScenario(text: string, file?: string, options: ParseOptions = {}): Scenario {
  const { data, ctx } = readPositioned(text, file, "scenario");
  if (options.uploads) ctx.uploads = new Set(options.uploads);
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw positionedError(
      { ...(file !== undefined ? { file } : {}), line: 1, col: 1 },
      `the scenario must be a mapping with name, cluster and workload; got ${data === null || data === undefined ? "an empty document" : Array.isArray(data) ? "a list" : `${typeof data} ${excerpt(String(data))}`}`,
    );
  }
  const scenario: Scenario = normalizeScenario(checkSchema(scenarioSchema, data, ctx), ctx);
  if (file !== undefined && !file.startsWith("<")) scenario.file = path.resolve(file);
  scenario.sourceMap = ctx.index.values;
  return scenario;
}

/** Reads and parses a scenario file (YAML or JSON). */
export function loadScenario(file: string): Scenario {
  return parseScenario(readScenarioFile(file), file);
}

/** The text of a scenario file; a missing file, a directory or a device is an error naming the file. */
export function readScenarioFile(file: string): string {
  try {
    return readInputFile(file);
  } catch (e) {
    throw positionedError({ file }, `cannot read the scenario ${(e as Error).message}`);
  }
}
