/**
 * `weft collective <op>`: nccl-tests' *_perf from flags. Builds a scenario document from the flags and sends
 * it through the same loader as a file, so the same checks and defaults apply.
 */
import { type Command, Option } from "commander";
import { stringify } from "yaml";
import { parseScenario } from "../scenario/load.js";
import { executeScenario, type RunFlags } from "./run.js";

const OPS = ["all-reduce", "all-gather", "reduce-scatter", "all-to-all", "broadcast", "reduce", "send-recv"];

export interface CollectiveFlags extends RunFlags {
  gpus: string;
  accelerator: string;
  perNode?: string;
  scaleUp?: string;
  nics?: string;
  nicBandwidth: string;
  topology: string;
  switch: string;
  tiers: string;
  oversubscription: string;
  minbytes: string;
  maxbytes: string;
  stepfactor: string;
  algorithm: string;
  print?: boolean;
}

/** The scenario document the flags describe (plain data, as a YAML file would hold). */
export function collectiveScenarioDocument(op: string, f: CollectiveFlags): Record<string, unknown> {
  const gpus = Number(f.gpus);
  const perNode = f.perNode ? Number(f.perNode) : Math.min(8, gpus);
  const nodes = Math.ceil(gpus / perNode);
  const group: Record<string, unknown> = {
    name: "gpu",
    nodes,
    accelerator: f.accelerator,
    acceleratorsPerNode: perNode,
    nics: { count: f.nics ? Number(f.nics) : perNode, bandwidth: f.nicBandwidth },
  };
  if (f.scaleUp) group.scaleUp = f.scaleUp;
  const tiers = f.tiers === "auto" ? "auto" : Number(f.tiers);
  const oversub = Number(f.oversubscription);
  return {
    name: `${op} on ${gpus} x ${f.accelerator}`,
    cluster: {
      groups: [group],
      scaleOut: { topology: f.topology, tiers, switch: f.switch, oversubscription: oversub },
    },
    workload: {
      collective: {
        op,
        sizes: [f.minbytes, f.maxbytes],
        factor: Number(f.stepfactor),
        algorithm: f.algorithm,
        ranks: gpus,
      },
    },
    simulation: { fidelity: f.fidelity ?? "flow", seed: 1 },
  };
}

export function collectiveCommand(program: Command, fidelity: (short?: boolean) => Option): void {
  program
    .command("collective")
    .description("run one collective like nccl-tests' *_perf, with the cluster described by flags")
    .argument("<op>", `one of ${OPS.join(", ")}`)
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
    .addOption(fidelity(false))
    .option("--json", "print the results as one JSON object")
    .option("-o, --out <file>", "also write the JSON results to a file (atomically)")
    .option("--force", "run even when the estimated time or memory is over the limits")
    .option("--print", "print the scenario the flags describe (YAML) instead of running it")
    .addHelpText(
      "after",
      `
Examples:
  $ weft collective all-reduce --gpus 8 --accelerator H100-SXM -b 1MiB -e 16GiB
  $ weft collective all-reduce --gpus 64 --accelerator H100-SXM --algorithm ring --json
  $ weft collective all-to-all --gpus 256 --accelerator B200 --topology rail-optimized --oversubscription 2`,
    )
    .action(async (op: string, flags: CollectiveFlags) => {
      if (!OPS.includes(op)) {
        throw new (await import("../errors.js")).WeftError(
          `unknown collective "${op}"; expected one of ${OPS.join(", ")}`,
        );
      }
      const text = stringify(collectiveScenarioDocument(op, flags));
      if (flags.print) {
        process.stdout.write(text);
        return;
      }
      await executeScenario(parseScenario(text, "<flags>"), flags);
    });
}
