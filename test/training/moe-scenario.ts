// A small MoE training scenario on 64 H100 (8 servers, 400G NICs) at analytical fidelity, for the expert
// layout and schedule tests: 64 experts of 1,024 FFN width, top-8, one shared expert.
import { setupNetwork } from "../../src/run.js";
import { parseScenario } from "../../src/scenario/load.js";
import type { Scenario } from "../../src/scenario/types.js";
import { collectiveCommModel, runTraining } from "../../src/workload/training/index.js";

const MOE =
  "{ name: moe-64e, layers: 16, hidden: 2048, heads: 16, kvHeads: 4, ffnHidden: 8192, gatedMlp: true, vocab: 32000, seqLength: 4096, moe: { experts: 64, topK: 8, expertFfnHidden: 1024, sharedExperts: 1 } }";

/** The scenario with `parallelism` (flow YAML), more `training:` keys in `extra`, read as `file`. */
export function moeScenario(file: string, parallelism: string, extra = "", globalBatch = 64): Scenario {
  return parseScenario(
    `name: ${file.replace(/\.yaml$/, "")}
cluster:
  groups: [{ name: gpu, nodes: 8, accelerator: H100-SXM, nics: { count: 8, bandwidth: 400Gbps } }]
workload:
  training:
    model: ${MOE}
    parallelism: ${parallelism}
    microBatch: 1
    globalBatch: ${globalBatch}
${extra}
simulation: { fidelity: analytical, seed: 1 }
`,
    file,
  );
}

export function runMoe(s: Scenario) {
  const net = setupNetwork(s);
  return runTraining(s, { fabric: net.fabric, comm: collectiveCommModel(net.collectives) });
}
