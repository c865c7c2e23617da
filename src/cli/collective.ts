/**
 * `weft collective <op>`: nccl-tests' *_perf from flags. Builds a scenario document from the flags and sends
 * it through the same loader as a file, so the same checks and defaults apply; an error in that document
 * is reported against the flag that wrote the value (`--gpus: expected a number, got "abc"`).
 */

import { LineCounter, parseDocument, stringify } from "yaml";
import { WeftError } from "../errors.js";
import { parseScenario } from "../scenario/load.js";
import { COLLECTIVE_OPS } from "../scenario/schema.js";
import { executeScenario, type RunFlags } from "./run.js";

const OPS: readonly string[] = COLLECTIVE_OPS;

/** The name the scenario document has in messages before they are rewritten to name a flag. */
const FLAGS_FILE = "<flags>";

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

type DocPath = (string | number)[];

/** Where in the scenario document each flag's value goes (what a message about that value names). */
const FLAG_PATHS: Record<string, DocPath[]> = {
  "--gpus": [
    ["workload", "collective", "ranks"],
    ["cluster", "groups", 0, "nodes"],
  ],
  "--accelerator": [["cluster", "groups", 0, "accelerator"]],
  "--per-node": [["cluster", "groups", 0, "acceleratorsPerNode"]],
  "--scale-up": [["cluster", "groups", 0, "scaleUp"]],
  "--nics": [["cluster", "groups", 0, "nics", "count"]],
  "--nic-bandwidth": [["cluster", "groups", 0, "nics", "bandwidth"]],
  "--topology": [["cluster", "scaleOut", "topology"]],
  "--tiers": [["cluster", "scaleOut", "tiers"]],
  "--switch": [["cluster", "scaleOut", "switch"]],
  "--oversubscription": [["cluster", "scaleOut", "oversubscription"]],
  "--minbytes": [["workload", "collective", "sizes", 0]],
  "--maxbytes": [["workload", "collective", "sizes", 1]],
  "--stepfactor": [["workload", "collective", "factor"]],
  "--algorithm": [["workload", "collective", "algorithm"]],
};

/** A flag's text as a number when it is one; otherwise the text itself, for the schema to reject by name. */
function numeric(text: string): number | string {
  const value = Number(text);
  return text.trim() !== "" && Number.isFinite(value) ? value : text;
}

/** The scenario document the flags describe (plain data, as a YAML file would hold). */
export function collectiveScenarioDocument(op: string, f: CollectiveFlags): Record<string, unknown> {
  const gpus = numeric(f.gpus);
  const perNode =
    f.perNode !== undefined ? numeric(f.perNode) : typeof gpus === "number" ? Math.min(8, gpus) : 8;
  // Values derived from a bad --per-node would be refused too, under other flags' names: derive only from a
  // good one, so the message names --per-node alone.
  const goodPerNode = typeof perNode === "number" && Number.isInteger(perNode) && perNode >= 1;
  const nodes = typeof gpus === "number" && goodPerNode ? Math.ceil(gpus / perNode) : gpus;
  const nicsDefault = goodPerNode ? perNode : typeof gpus === "number" ? Math.min(8, gpus) : 8;
  const group: Record<string, unknown> = {
    name: "gpu",
    nodes,
    accelerator: f.accelerator,
    acceleratorsPerNode: perNode,
    nics: { count: f.nics !== undefined ? numeric(f.nics) : nicsDefault, bandwidth: f.nicBandwidth },
  };
  if (f.scaleUp) group.scaleUp = f.scaleUp;
  return {
    name: `${op} on ${f.gpus} x ${f.accelerator}`,
    cluster: {
      groups: [group],
      scaleOut: {
        topology: f.topology,
        tiers: f.tiers === "auto" ? "auto" : numeric(f.tiers),
        switch: f.switch,
        oversubscription: numeric(f.oversubscription),
      },
    },
    workload: {
      collective: {
        op,
        sizes: [numeric(f.minbytes), numeric(f.maxbytes)],
        factor: numeric(f.stepfactor),
        algorithm: f.algorithm,
        ranks: gpus,
      },
    },
    simulation: { fidelity: f.fidelity ?? "flow", seed: 1 },
  };
}

export async function collectiveCommand(op: string, flags: CollectiveFlags): Promise<void> {
  if (!OPS.includes(op)) throw new WeftError(`unknown collective "${op}"; expected one of ${OPS.join(", ")}`);
  // --gpus sets the nodes, the accelerators per node and the NICs too: a bad count is named once, as itself.
  const gpus = Number(flags.gpus);
  if (!(Number.isInteger(gpus) && gpus >= 2))
    throw new WeftError(`--gpus: expected a whole number of accelerators, at least 2; got "${flags.gpus}"`);
  const text = stringify(collectiveScenarioDocument(op, flags));
  if (flags.print) {
    process.stdout.write(text);
    return;
  }
  let scenario: ReturnType<typeof parseScenario>;
  try {
    scenario = parseScenario(text, FLAGS_FILE);
  } catch (err) {
    throw err instanceof WeftError ? namingFlags(err, text) : err;
  }
  await executeScenario(scenario, flags);
}

/**
 * The error with each `<flags>:line:col` replaced by the flag whose value sits on that line; a position no
 * flag wrote (a default) is dropped, since there is no file to point at.
 */
export function namingFlags(err: WeftError, text: string): WeftError {
  const flagAtLine = flagLines(text);
  const prefix = new RegExp(`${FLAGS_FILE.replace(/[<>]/g, "\\$&")}:(\\d+):\\d+: `, "g");
  const message = err.message.replace(prefix, (_, line: string) => {
    const flag = flagAtLine.get(Number(line));
    return flag ? `${flag}: ` : "";
  });
  // The flag names the value; the document path the schema adds (`cluster.groups[0].nodes: `) would not.
  return new WeftError(message.replace(/^(--[\w-]+: )[A-Za-z][\w.[\]]*: /gm, "$1"), {}, err.exitCode);
}

/** Line of the generated document → the flag that wrote the value on that line. */
function flagLines(text: string): Map<number, string> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const out = new Map<number, string>();
  for (const [flag, paths] of Object.entries(FLAG_PATHS)) {
    for (const path of paths) {
      const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
      if (!node?.range) continue;
      const { line } = lines.linePos(node.range[0]);
      if (!out.has(line)) out.set(line, flag);
    }
  }
  return out;
}
