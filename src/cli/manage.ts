/** `weft manage CLUSTER.yaml --jobs TRACE`: a job trace placed and run on the cluster under each policy. */

import { POLICY_NAMES } from "../control/placement/policies.js";
import { type ManageResult, manage } from "../control/placement/simulate.js";
import { loadTrace } from "../control/placement/trace.js";
import { WeftError } from "../errors.js";
import { writeFileAtomic } from "../files/write.js";
import { formatManageTable, formatWorstJobs } from "../report/placement.js";
import { loadScenario } from "../scenario/load.js";
import { buildScenarioFabric } from "../topology/build.js";
import { makeProgress } from "./progress.js";

export interface ManageFlags {
  jobs: string;
  policy: string;
  json?: boolean;
  out?: string;
}

export async function manageCommand(file: string, flags: ManageFlags): Promise<void> {
  const policies = flags.policy === "all" ? POLICY_NAMES : flags.policy.split(",").map((p) => p.trim());
  for (const p of policies) {
    if (!POLICY_NAMES.includes(p))
      throw new WeftError(`--policy ${p}: unknown policy; expected all, ${POLICY_NAMES.join(", ")}`);
  }
  const scenario = loadScenario(file);
  const trace = loadTrace(flags.jobs);
  const fabric = buildScenarioFabric(scenario);
  const progress = makeProgress(!flags.json);
  const results: ManageResult[] = [];
  policies.forEach((policy, i) => {
    progress.update(i, policies.length, policy);
    results.push(manage({ scenario, fabric, trace, policy }));
  });
  progress.stop();
  const doc = {
    scenario: scenario.name,
    jobs: trace.jobs.length,
    accelerators: fabric.accelerators.count,
    policies: results,
  };
  if (flags.out) writeFileAtomic(flags.out, `${JSON.stringify(doc, null, 2)}\n`);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(doc)}\n`);
    return;
  }
  const lines = [
    `${scenario.name}: ${trace.jobs.length.toLocaleString("en-US")} jobs on ${fabric.accelerators.count.toLocaleString("en-US")} accelerators`,
    "",
    formatManageTable(results),
    "",
    `most slowed jobs under ${results[0].policy}:`,
    formatWorstJobs(results[0]),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
