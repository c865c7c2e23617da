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
  .option("--names", "list every device and its cabled ports by name (as failures and exports refer to them)")
  .addHelpText(
    "after",
    `
Examples:
  $ weft plan examples/b200-superpod-rail-optimized.yaml --json
  $ weft plan examples/quickstart.yaml --names`,
  )
  .action(async (file, opts) => planCommand(file, opts));

program
  .command("export")
  .description("write what a fabric runs on: cabling plan, graph, SONiC switch configs, host NIC plan")
  .argument("<file>", "scenario YAML or JSON")
  .requiredOption("--format <formats>", "cabling | graph | sonic | hosts (comma-separated for several)")
  .requiredOption("--out <dir>", "folder to write into (files are written atomically)")
  .option(
    "--tenants <file>",
    "sonic: tenants' servers ({ tenants: { name: [server, ...] } }), each tenant a VRF",
  )
  .option("--json", "print the written files as JSON")
  .addHelpText(
    "after",
    `
Formats:
  cabling  cabling.csv: one row per cable, both ends by device and port, tier, transceivers, length class
  graph    graph.json, graph.dot (Graphviz) and containerlab.clab.yml (fabrics of up to 128 nodes)
  sonic    sonic/<switch>/config_db.json per Ethernet switch: ports, /31s, eBGP, RoCE QoS
  hosts    hosts.json: per server, NIC addresses and the rail order NCCL should use

Examples:
  $ weft export examples/quickstart.yaml --format cabling --out out/
  $ weft export examples/quickstart.yaml --format sonic,hosts --out out/
  $ weft export examples/quickstart.yaml --format sonic --tenants tenants.yaml --out out/`,
  )
  .action(async (file, opts) => (await import("./export.js")).exportCommand(file, opts));

program
  .command("manage")
  .description("place and run a trace of jobs on a cluster over time, under each placement policy")
  .argument("<file>", "cluster scenario YAML or JSON")
  .requiredOption(
    "--jobs <trace>",
    "job trace, YAML or JSON (`jobs:` with arrival, tenant, gpus, training | inference)",
  )
  .option("--policy <policy>", "topology | first-fit | random | all (side by side)", "all")
  .option("--json", "print the results as one JSON object")
  .option("-o, --out <file>", "also write the JSON results to a file (atomically)")
  .addHelpText(
    "after",
    `
Examples:
  $ weft manage examples/training-gpt3-175b-1024-h100.yaml --jobs examples/jobs/mixed-tenants.yaml
  $ weft manage examples/training-gpt3-175b-1024-h100.yaml --jobs trace.yaml --policy topology --json`,
  )
  .action(async (file, opts) => (await import("./manage.js")).manageCommand(file, opts));

program
  .command("validate")
  .description("check a scenario file; with --print, show it with every default filled in")
  .argument("<file>", "scenario YAML or JSON")
  .option("--print", "print the normalized scenario")
  .option("--json", "print as JSON")
  .addHelpText("after", "\nExample:\n  $ weft validate examples/quickstart.yaml --print")
  .action(async (file, opts) => validateCommand(file, opts));

collectiveCommand(program, fidelity);

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    process.exitCode = reportError(err, Boolean(program.opts().debug) || process.argv.includes("--debug"));
  }
}

await main();
