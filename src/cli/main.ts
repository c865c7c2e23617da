#!/usr/bin/env node
/**
 * The `weft` command: thin shells over the library (load → build → run → report).
 * Human tables by default, `--json` for machines; errors as `file:line:col: message`, exit code 2 for bad
 * input and usage errors, 1 for internal errors; stack traces only with --debug.
 *
 * Only the option definitions live here. Each action imports its module when it runs, so `weft --version`
 * and `weft validate` never load the engines (start-up time is measured by bench/cases/cli-startup).
 */
import { Argument, Command, CommanderError, Option } from "commander";
import { weftVersion } from "../version.js";
import { endQuietlyOnClosedPipe } from "./pipe.js";

/** Commander's codes for output that is not an error (help and version). */
const NOT_ERRORS = new Set(["commander.helpDisplayed", "commander.help", "commander.version"]);

const program = new Command();

program
  .name("weft")
  .description(
    "Weft, a digital twin of AI cluster fabrics: how long a workload takes, how much accelerator time the network costs, where, and what that costs.",
  )
  .version(weftVersion())
  .option("--debug", "show stack traces on errors")
  .showHelpAfterError("(add --help for usage)")
  // Usage errors throw instead of exiting, so that every one of them exits with 2 (bad input).
  .exitOverride()
  .addHelpText(
    "after",
    `
Examples:
  $ weft run examples/quickstart.yaml                 # nccl-tests style table
  $ weft run examples/quickstart.yaml --json          # the results as JSON
  $ cat examples/quickstart.yaml | weft run -         # the scenario from stdin
  $ weft plan examples/b200-superpod-rail-optimized.yaml
  $ weft validate examples/quickstart.yaml --print    # the scenario with every default filled in
  $ weft collective all-reduce --gpus 64 --accelerator H100-SXM
  $ weft catalog switches                             # built-in hardware with sources`,
  );

// Short flags have one meaning across commands: -f is nccl-tests' step factor, so fidelity has none.
const fidelityOption = () =>
  new Option("--fidelity <level>", "simulation fidelity (overrides the scenario)").choices([
    "analytical",
    "flow",
    "packet",
  ]);

program
  .command("run")
  .description("simulate a scenario file and print its results")
  .argument("<file>", "scenario YAML or JSON; - reads it from stdin")
  .addOption(fidelityOption())
  .addOption(
    new Option(
      "--sharing <mode>",
      "flow fidelity: how window-transport flows share links (overrides the scenario; docs/flow-model.md)",
    ).choices(["max-min", "by-path"]),
  )
  .option("--json", "print the results as one JSON object")
  .option("-o, --out <file>", "also write the JSON results to a file (atomically)")
  .option("--svg <file>", "training: write the step timeline as an SVG")
  .option("--requests <file>", "inference: write per-request results as CSV")
  .option("--trace <file>", "traffic: write a per-queue time series as CSV")
  .option("--no-what-if", "training: skip the same step on a non-blocking fabric")
  .addOption(
    new Option("--format <name>", "collective: the human table's layout (nccl-tests: as its *_perf print)")
      .choices(["weft", "nccl-tests"])
      .default("weft"),
  )
  .option("--force", "run even when the estimated time or memory is over the limits")
  .addHelpText(
    "after",
    `
Examples:
  $ weft run examples/quickstart.yaml
  $ weft run examples/quickstart.yaml --fidelity analytical --json
  $ weft run examples/traffic-ecmp-incast-by-path.yaml --sharing max-min   # against NSCC's own sharing
  $ weft run examples/training-llama3-70b-512-h100-rail.yaml --svg step.svg
  $ weft validate examples/quickstart.yaml --print | weft run -
  $ weft run examples/quickstart.yaml --fidelity packet --force   # past the time/memory estimate`,
  )
  .action(async (file, opts) => (await import("./run.js")).runCommand(file, opts));

program
  .command("plan")
  .description("build the fabric of a scenario and print its bill of materials")
  .argument("<file>", "scenario YAML or JSON; - reads it from stdin")
  .option("--json", "print the plan as JSON")
  .option("--names", "list every device and its cabled ports by name (as failures and exports refer to them)")
  .addHelpText(
    "after",
    `
Examples:
  $ weft plan examples/b200-superpod-rail-optimized.yaml --json
  $ weft plan examples/quickstart.yaml --names`,
  )
  .action(async (file, opts) => (await import("./plan.js")).planCommand(file, opts));

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
  .option(
    "--jobs <trace>",
    "job trace, YAML or JSON (`jobs:` with arrival, tenant, gpus, training | inference); default: the scenario's manager.jobs",
  )
  .option(
    "--policy <policy>",
    "topology | first-fit | random | all (side by side); default: the scenario's manager.policies, else all",
  )
  .option("--json", "print the results as one JSON object")
  .option("-o, --out <file>", "also write the JSON results to a file (atomically)")
  .addHelpText(
    "after",
    `
Examples:
  $ weft manage examples/training-gpt3-175b-1024-h100.yaml --jobs examples/jobs/mixed-tenants.yaml
  $ weft manage examples/training-gpt3-175b-1024-h100.yaml --jobs trace.yaml --policy topology --json
  $ weft manage examples/manage-mixed-tenants.yaml`,
  )
  .action(async (file, opts) => (await import("./manage.js")).manageCommand(file, opts));

program
  .command("validate")
  .description("check a scenario file; with --print, show it with every default filled in")
  .argument("<file>", "scenario YAML or JSON; - reads it from stdin")
  .option("--print", "print the normalized scenario (YAML that loads back as the same scenario)")
  .option("--json", "print as JSON")
  .addHelpText("after", "\nExample:\n  $ weft validate examples/quickstart.yaml --print")
  .action(async (file, opts) => (await import("./validate.js")).validateCommand(file, opts));

program
  .command("catalog")
  .description("list the built-in hardware catalog, each entry with its source")
  .addArgument(
    new Argument("[kind]", "one kind of hardware").choices([
      "accelerators",
      "scale-up",
      "nics",
      "switches",
      "optics",
    ]),
  )
  .option("--json", "print the entries as JSON")
  .addHelpText("after", "\nExamples:\n  $ weft catalog\n  $ weft catalog accelerators --json")
  .action(async (kind, opts) => (await import("./catalog.js")).catalogCommand(kind, opts));

program
  .command("calibrate")
  .description(
    "fit this cluster's link and compute constants to its own measurements; write a catalog override file",
  )
  .argument("<scenario>", "a scenario of the measured cluster (its fabric and accelerator)")
  .argument(
    "[nccl-tests...]",
    "nccl-tests output files (stdout of all_reduce_perf etc.) or CSVs with size_bytes, oop_time_us",
  )
  .option("--op <op>", "the collective of files that do not name it")
  .option("--ranks <n>", "ranks of files that do not list them (the first n accelerators of the scenario)")
  .option(
    "--step <scenario=time>",
    "a training layout and the step time its log shows (repeatable)",
    (v: string, prev: string[] = []) => [...prev, v],
  )
  .option("-o, --out <file>", "the catalog override file to write", "calibration.yaml")
  .option("--json", "print the fit as JSON")
  .addHelpText(
    "after",
    `
Examples:
  $ weft calibrate cluster.yaml all_reduce_1node.txt all_reduce_2node.txt -o cluster-calibration.yaml
  $ weft calibrate cluster.yaml data/calibration/nccl_allreduce_gcp_a3mega_2node.csv --ranks 16
  $ weft calibrate cluster.yaml --step llama-64.yaml=8.85s --step llama-128.yaml=8.9s
The fitted constants go in the written file's hardware: section; add it to scenarios of the same cluster.`,
  )
  .action(async (scenario, files, opts) =>
    (await import("./calibrate.js")).calibrateCommand(scenario, files, opts),
  );

program
  .command("collective")
  .description("run one collective like nccl-tests' *_perf, with the cluster described by flags")
  .argument("<op>", "all-reduce, all-gather, reduce-scatter, all-to-all, broadcast, reduce or send-recv")
  .requiredOption("-g, --gpus <n>", "number of accelerators (ranks)")
  .option("-a, --accelerator <id>", "accelerator catalog id", "H100-SXM")
  .option("--per-node <n>", "accelerators per node (default: 8, or fewer when --gpus is smaller)")
  .option("--scale-up <id>", "scale-up catalog id (default: the accelerator's)")
  .option("--nics <n>", "scale-out NICs per node (default: one per accelerator)")
  .option("--nic-bandwidth <bw>", "bandwidth per NIC", "400Gbps")
  .addOption(
    new Option("--topology <kind>", "scale-out topology")
      .choices(["fat-tree", "rail-optimized", "rail-only", "single-switch"])
      .default("fat-tree"),
  )
  .option("--switch <id>", "scale-out switch catalog id", "QM9700")
  .option("--tiers <n>", "scale-out tiers: 1, 2, 3 or auto", "auto")
  .option("--oversubscription <x>", "leaf down:up ratio (1 = non-blocking)", "1")
  .option("-b, --minbytes <size>", "smallest buffer", "8B")
  .option("-e, --maxbytes <size>", "largest buffer", "16GiB")
  .option("-f, --stepfactor <x>", "size multiplication factor", "2")
  .addOption(
    new Option("--algorithm <name>", "collective algorithm")
      .choices(["auto", "ring", "tree", "halving-doubling", "direct", "hierarchical", "in-network"])
      .default("auto"),
  )
  .addOption(fidelityOption())
  .option("--json", "print the results as one JSON object")
  .addOption(
    new Option("--format <name>", "the human table's layout").choices(["weft", "nccl-tests"]).default("weft"),
  )
  .option("-o, --out <file>", "also write the JSON results to a file (atomically)")
  .option("--force", "run even when the estimated time or memory is over the limits")
  .option("--print", "print the scenario the flags describe (YAML) instead of running it")
  .addHelpText(
    "after",
    `
Examples:
  $ weft collective all-reduce --gpus 8 --accelerator H100-SXM -b 1MiB -e 16GiB
  $ weft collective all-reduce --gpus 64 --accelerator H100-SXM --algorithm ring --json
  $ weft collective all-reduce --gpus 16 -b 8 -e 128MiB -f 2 --format nccl-tests
  $ weft collective all-to-all --gpus 256 --accelerator B200 --topology rail-optimized --oversubscription 2`,
  )
  .action(async (op, flags) => (await import("./collective.js")).collectiveCommand(op, flags));

program
  .command("sweep")
  .description("run every point of a design space and rank them: best per objective, Pareto frontier, chart")
  .argument("<file>", "sweep YAML: a base scenario, axes, constraints, objectives")
  .option("--store <file>", "results store (default: weft.duckdb beside the sweep file)")
  .option("-w, --workers <n>", "worker threads (default: one per core; 1 runs in this thread)")
  .option("--redis <url>", "enqueue the points on Redis for `weft worker` processes instead")
  .option("--chart <file>", "where to write the HTML/SVG Pareto chart (default: beside the sweep)")
  .addOption(fidelityOption())
  .option("--top <n>", "frontier rows to print", "20")
  .option("--json", "print the summary, best points and frontier as JSON")
  .option("--log", "one line per finished point on stderr (for logs) instead of a progress bar")
  .addHelpText(
    "after",
    `
Examples:
  $ weft sweep examples/sweeps/fabrics-llama3-70b-1024.yaml
  $ weft sweep sweep.yaml --workers 1 --store results.duckdb --json
  $ weft sweep sweep.yaml --redis redis://127.0.0.1:6379     # then: weft worker --redis ... on any machine`,
  )
  .action(async (file, opts) => (await import("./sweep.js")).sweepCommand(file, opts));

program
  .command("tune")
  .description(
    "search a training job's parallel layouts (tp/pp/dp/cp/ep/vpp, micro-batch, recompute, ZeRO) on its fabric, or a service's cheapest pools that meet its SLO",
  )
  .argument("<file>", "scenario with a training or an inference workload")
  .option("-k, --top-k <n>", "training: layouts re-timed at flow fidelity (default: 3)")
  .option("--show <n>", "layouts or designs to print", "10")
  .option("--zero <stages>", "training: ZeRO stages to try, comma-separated (default: the scenario's and 1)")
  .option("--micro-batches <sizes>", "training: micro-batch sizes to try (default: 1,2,4 and the scenario's)")
  .option("--store <file>", "keep every timed layout in this results store (default: in memory)")
  .option("-w, --workers <n>", "worker threads (default: one per core; 1 runs in this thread)")
  .option("--json", "print the ranking as JSON")
  .option("--log", "one line per timed layout on stderr instead of a progress bar")
  .addHelpText(
    "after",
    `
Examples:
  $ weft tune examples/validation/megatron-gpt3-175b-1024-a100.yaml
  $ weft tune examples/validation/megatron-gpt3-175b-1024-a100.yaml --zero 0   # the 2021 recipe's optimizer
  $ weft tune examples/training-llama3-70b-512-h100-oversub4.yaml --top-k 5 --json
  $ weft tune examples/inference-llama70b-disaggregated-h100.yaml   # prefill/decode tp, instances, split`,
  )
  .action(async (file, opts) => (await import("./tune.js")).tuneCommand(file, opts));

program
  .command("compare")
  .description("two designs side by side: headline metrics and bill of materials, with deltas")
  .argument("<a>", "scenario A (YAML or JSON)")
  .argument("<b>", "scenario B")
  .addOption(fidelityOption())
  .option("--all", "every metric, not only the headline ones")
  .option("--json", "print the comparison as JSON")
  .addHelpText(
    "after",
    `
Example:
  $ weft compare examples/training-llama3-70b-512-h100-rail.yaml examples/training-llama3-70b-512-h100-oversub4.yaml --fidelity analytical`,
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
  endQuietlyOnClosedPipe();
  try {
    // `weft jobs --help` would print the root help and succeed: a word that is no command is refused first.
    const word = process.argv[2];
    if (
      word !== undefined &&
      !word.startsWith("-") &&
      word !== "help" &&
      !program.commands.some((c) => c.name() === word || c.aliases().includes(word))
    )
      program.error(`error: unknown command '${word}'; see weft --help`, {
        code: "commander.unknownCommand",
      });
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed the message (or the help, or the version).
      process.exitCode = NOT_ERRORS.has(err.code) ? 0 : 2;
      return;
    }
    const debug = Boolean(program.opts().debug) || process.argv.includes("--debug");
    process.exitCode = (await import("./errors.js")).reportError(err, debug);
  }
}

await main();
