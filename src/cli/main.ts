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
  .command("sweep")
  .description("run every point of a design space and rank them: best per objective, Pareto frontier, chart")
  .argument("<file>", "sweep YAML: a base scenario, axes, constraints, objectives")
  .option("--store <file>", "results store (default: weft.duckdb beside the sweep file)")
  .option("-w, --workers <n>", "worker threads (default: one per core; 1 runs in this thread)")
  .option("--redis <url>", "enqueue the points on Redis for `weft worker` processes instead")
  .option("--chart <file>", "where to write the HTML/SVG Pareto chart (default: beside the sweep)")
  .addOption(fidelity())
  .option("--top <n>", "frontier rows to print", "20")
  .option("--json", "print the summary, best points and frontier as JSON")
  .option("--log", "one line per finished point on stderr (for logs) instead of a progress bar")
  .addHelpText(
    "after",
    `
Examples:
  $ weft sweep examples/sweeps/fabrics-llama3-70b.yaml
  $ weft sweep sweep.yaml --workers 1 --store results.duckdb --json
  $ weft sweep sweep.yaml --redis redis://127.0.0.1:6379     # then: weft worker --redis ... on any machine`,
  )
  .action(async (file, opts) => (await import("./sweep.js")).sweepCommand(file, opts));

program
  .command("compare")
  .description("two designs side by side: headline metrics and bill of materials, with deltas")
  .argument("<a>", "scenario A (YAML or JSON)")
  .argument("<b>", "scenario B")
  .addOption(fidelity())
  .option("--all", "every metric, not only the headline ones")
  .option("--json", "print the comparison as JSON")
  .addHelpText(
    "after",
    `
Example:
  $ weft compare examples/training-llama3-70b-512-h100-rail.yaml examples/training-llama3-70b-512-h100-oversub4.yaml -f analytical`,
  )
  .action(async (a, b, opts) => (await import("./compare.js")).compareCommand(a, b, opts));

program
  .command("results")
  .description("query the results store: points by filter, or any SQL; export CSV/Parquet")
  .argument("[sql]", "a SQL query over the tables points, sweeps, sweep_points")
  .option("--store <file>", "the results store", "weft.duckdb")
  .option("--sweep <id>", "only this sweep's points (id prefix or name)")
  .option("--where <expr>", "filter over metrics and inputs, e.g. 'stepTimeS < 8 && tp == 8'")
  .option("--sort <metric>", "sort by a metric (ascending)")
  .option("--desc", "sort descending")
  .option("--columns <list>", "metrics to show, comma-separated")
  .option("--limit <n>", "at most n rows")
  .option("--export <file>", "write the rows to .csv, .parquet or .json instead of printing them")
  .option("--json", "print the rows as JSON")
  .addHelpText(
    "after",
    `
Examples:
  $ weft results --store weft.duckdb --where "stepTimeS < 8" --sort plan.costUsd --limit 10
  $ weft results --store weft.duckdb --sweep abe0401e --export points.parquet
  $ weft results --store weft.duckdb "SELECT name, metrics->>'mfu' AS mfu FROM points ORDER BY mfu DESC"`,
  )
  .action(async (sql, opts) => (await import("./results.js")).resultsCommand(sql, opts));

program
  .command("worker")
  .description("run sweep points from a Redis queue until stopped")
  .requiredOption("--redis <url>", "the queue's Redis, e.g. redis://10.0.0.5:6379")
  .option("--concurrency <n>", "points at once in this process", "1")
  .option("--stall-timeout <s>", "seconds before a silent worker's point goes back to the queue", "30")
  .option("--log", "one line per finished point on stderr")
  .addHelpText("after", "\nExample:\n  $ weft worker --redis redis://127.0.0.1:6379 --log")
  .action(async (opts) => (await import("./worker.js")).workerCommand(opts));

program
  .command("serve")
  .description("serve the HTTP API (OpenAPI at /docs) and the web dashboard")
  .option("--host <address>", "address to listen on", "127.0.0.1")
  .option("--port <n>", "port to listen on (0: any free port)", "8080")
  .option("--token <secret>", "bearer token clients must send (default: $WEFT_TOKEN, else a new random one)")
  .option("--store <file>", "the results store (DuckDB) where runs are kept, beside sweeps", "weft.duckdb")
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
