/** A scenario named on the command line: a file, or `-` for standard input (`weft validate --print | weft run -`). */
import { readFileSync } from "node:fs";
import { loadScenario, parseScenario, readScenarioFile } from "../scenario/load.js";
import type { Scenario } from "../scenario/types.js";

/** What messages call standard input; relative paths in it resolve against the working directory. */
export const STDIN_NAME = "<stdin>";

export function readScenario(file: string): Scenario {
  return file === "-" ? parseScenario(readFileSync(0, "utf8"), STDIN_NAME) : loadScenario(file);
}

/** A scenario's text and the name messages give it, read as `readScenario` reads it (for a tuner, which derives documents from the text). */
export function readScenarioText(file: string): { name: string; text: string } {
  return file === "-"
    ? { name: STDIN_NAME, text: readFileSync(0, "utf8") }
    : { name: file, text: readScenarioFile(file) };
}
