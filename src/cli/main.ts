#!/usr/bin/env node
/**
 * The `weft` command: thin shells over the library (load → build → run → report).
 * Human tables by default, `--json` for machines; errors as `file:line:col: message`, exit code 2 for bad
 * input, 1 for internal errors; stack traces only with --debug.
 */
import { readFileSync } from "node:fs";
import { Command, Option } from "commander";
import { collectiveCommand } from "./collective.js";
import { reportError } from "./errors.js";
import { planCommand } from "./plan.js";
import { runCommand } from "./run.js";
import { validateCommand } from "./validate.js";

/** The version in package.json (two folders up from both src/cli and dist/cli). */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  return String(pkg.version);
}

const program = new Command();

program
  .name("weft")
  .description(
    "Weft, a digital twin of AI cluster fabrics: how long a workload takes, how much accelerator time the network costs, where, and what that costs.",
  )
  .version(packageVersion())
  .option("--debug", "show stack traces on errors")
  .showHelpAfterError("(add --help for usage)")
  .addHelpText(
    "after",
    `
Examples:
  $ weft run examples/quickstart.yaml                 # nccl-tests style table
  $ weft run examples/quickstart.yaml --json          # the results as JSON
  $ weft plan examples/b200-superpod-rail-optimized.yaml
  $ weft validate examples/quickstart.yaml --print    # the scenario with every default filled in
  $ weft collective all-reduce --gpus 64 --accelerator H100-SXM`,
  );

const fidelity = (short = true) =>
  new Option(
    `${short ? "-f, " : ""}--fidelity <level>`,
    "simulation fidelity (overrides the scenario)",
  ).choices(["analytical", "flow", "packet"]);

program
  .command("run")
  .description("simulate a scenario file and print its results")
  .argument("<file>", "scenario YAML or JSON")
  .addOption(fidelity())
  .option("--json", "print the results as one JSON object")
  .option("-o, --out <file>", "also write the JSON results to a file (atomically)")
  .option("--svg <file>", "training: write the step timeline as an SVG")
  .option("--requests <file>", "inference: write per-request results as CSV")
  .option("--trace <file>", "traffic: write a per-queue time series as CSV")
  .addHelpText(
    "after",
    `
Examples:
  $ weft run examples/quickstart.yaml
  $ weft run examples/quickstart.yaml --fidelity analytical --json
  $ weft run examples/training-llama3-70b-512-h100-rail.yaml --svg step.svg`,
  )
  .action(async (file, opts) => runCommand(file, opts));

program
  .command("plan")
  .description("build the fabric of a scenario and print its bill of materials")
  .argument("<file>", "scenario YAML or JSON")
  .option("--json", "print the plan as JSON")
  .addHelpText("after", "\nExample:\n  $ weft plan examples/b200-superpod-rail-optimized.yaml --json")
  .action(async (file, opts) => planCommand(file, opts));

program
  .command("validate")
  .description("check a scenario file; with --print, show it with every default filled in")
  .argument("<file>", "scenario YAML or JSON")
  .option("--print", "print the normalized scenario")
  .option("--json", "print as JSON")
  .addHelpText("after", "\nExample:\n  $ weft validate examples/quickstart.yaml --print")
  .action(async (file, opts) => validateCommand(file, opts));

collectiveCommand(program, fidelity);

program
  .command("serve")
  .description("serve the HTTP API (OpenAPI at /docs) and the web dashboard")
  .option("--host <address>", "address to listen on", "127.0.0.1")
  .option("--port <n>", "port to listen on (0: any free port)", "8080")
  .option("--token <secret>", "bearer token clients must send (default: $WEFT_TOKEN, else a new random one)")
  .option("--store <file>", "DuckDB file where runs are kept", "weft.duckdb")
  .option("--time-limit <s>", "seconds a run may take before it is stopped", "300")
  .option("--threads <n>", "runs executed at once (worker threads)")
  .option("--per-client <n>", "runs one client may have queued or running", "4")
  .addHelpText(
    "after",
    `
Examples:
  $ weft serve                                  # http://127.0.0.1:8080, token printed at start
  $ weft serve --port 9000 --store runs.duckdb --time-limit 60
  $ curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/api/examples`,
  )
  .action(async (opts) => (await import("./serve.js")).serveCommand(opts));

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    process.exitCode = reportError(err, Boolean(program.opts().debug) || process.argv.includes("--debug"));
  }
}

await main();
