/**
 * Files a command writes (`--out`, `--svg`, `--requests`, `--trace`, an export's files, a chart) are
 * checked before it starts: none may be the scenario or a file the scenario reads (a traffic matrix, a
 * request trace, a job trace), nor any other input the command was given, and no two may be the same
 * file, so a typo never overwrites the input with results.
 */
import { WeftError } from "../errors.js";
import { sameFile } from "../files/same-file.js";
import { checkOutputFile } from "../files/write.js";
import type { Scenario } from "../scenario/types.js";

export interface OutputFlags {
  out?: string;
  svg?: string;
  requests?: string;
  trace?: string;
}

/** A file a command reads, and what messages call it ("the scenario file"). */
export interface InputFile {
  file: string;
  what: string;
}

export function checkOutputs(scenario: Scenario, flags: OutputFlags): void {
  const inputs = scenarioInputs(scenario);
  const outputs = Object.entries(flags).filter(
    (e): e is [keyof OutputFlags, string] =>
      ["out", "svg", "requests", "trace"].includes(e[0]) && typeof e[1] === "string",
  );
  outputs.forEach(([flag, file], i) => {
    checkOutputFile(file, `--${flag}`);
    checkNotAnInput(`--${flag}`, file, inputs);
    const twin = outputs.slice(0, i).find(([, other]) => sameFile(file, other));
    if (twin)
      throw new WeftError(`--${flag} and --${twin[0]} both name ${file}; expected two different files`);
  });
}

/** Fails when `file`, which `flag` names as an output, is one of `inputs`. */
export function checkNotAnInput(flag: string, file: string, inputs: InputFile[]): void {
  const input = inputs.find((x) => sameFile(file, x.file));
  if (input) {
    throw new WeftError(
      `${flag} ${file} is ${input.what}; results would overwrite it. Expected a new file name for the results`,
    );
  }
}

/** The scenario file and every file it reads: its workloads' (one per job) and its manager's job trace. */
export function scenarioInputs(scenario: Scenario): InputFile[] {
  const inputs: InputFile[] = [];
  if (scenario.file) inputs.push({ file: scenario.file, what: "the scenario file" });
  for (const w of [scenario.workload, ...(scenario.jobs ?? []).map((j) => j.workload)]) {
    if (w.kind === "traffic" && w.pattern === "file" && w.file)
      inputs.push({ file: w.file, what: "the scenario's traffic file" });
    if (w.kind === "inference" && w.requests.trace)
      inputs.push({ file: w.requests.trace, what: "the scenario's request trace" });
  }
  if (scenario.manager?.traceFile)
    inputs.push({ file: scenario.manager.traceFile, what: "the scenario's job trace" });
  return inputs;
}
