/** `weft validate FILE [--print]`: check a scenario; print it with every default filled in. */
import { stringify } from "yaml";
import { readScenario, STDIN_NAME } from "./read-scenario.js";

export async function validateCommand(
  file: string,
  flags: { print?: boolean; json?: boolean },
): Promise<void> {
  const scenario = readScenario(file);
  for (const w of scenario.warnings ?? []) process.stderr.write(`warning: ${w}\n`);
  if (flags.print || flags.json) {
    // A document that loads back as the same scenario (`weft validate FILE --print | weft run -`); its
    // module loads only here, so a plain check starts faster.
    const document = (await import("../scenario/document.js")).scenarioDocument(scenario);
    process.stdout.write(flags.json ? `${JSON.stringify(document, null, 2)}\n` : stringify(document));
    return;
  }
  process.stdout.write(`${file === "-" ? STDIN_NAME : file}: ok (${scenario.name})\n`);
}
