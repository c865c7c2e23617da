/** `weft validate FILE [--print]`: check a scenario; print it with every default filled in. */
import { stringify } from "yaml";
import { describeScenario } from "../scenario/print.js";
import { readScenario, STDIN_NAME } from "./read-scenario.js";

export async function validateCommand(
  file: string,
  flags: { print?: boolean; json?: boolean },
): Promise<void> {
  const scenario = readScenario(file);
  if (flags.print || flags.json) {
    const described = describeScenario(scenario);
    process.stdout.write(flags.json ? `${JSON.stringify(described, null, 2)}\n` : stringify(described));
    return;
  }
  for (const w of scenario.warnings ?? []) process.stderr.write(`warning: ${w}\n`);
  process.stdout.write(`${file === "-" ? STDIN_NAME : file}: ok (${scenario.name})\n`);
}
