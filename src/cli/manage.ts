/**
 * `weft manage CLUSTER.yaml [--jobs TRACE] [--policy P]`: a job trace placed and run on the cluster under
 * each policy. The scenario's `manager:` section gives the jobs and policies; `--jobs` replaces its trace
 * (jobs and tenants), `--policy` its policies.
 */

import { POLICY_NAMES } from "../control/placement/policies.js";
import { type ManageResult, manage } from "../control/placement/simulate.js";
import { readJobTrace, type Trace } from "../control/placement/trace.js";
import { WeftError } from "../errors.js";
import { checkOutputFile, writeFileAtomic } from "../files/write.js";
import { formatManageTable, formatWorstJobs } from "../report/placement.js";
import { loadScenario } from "../scenario/load.js";
import type { Scenario } from "../scenario/types.js";
import { buildScenarioFabric } from "../topology/build.js";
import { checkNotAnInput, type InputFile, scenarioInputs } from "./outputs.js";
import { makeProgress } from "./progress.js";

export interface ManageFlags {
  jobs?: string;
  policy?: string;
  json?: boolean;
  out?: string;
}

export async function manageCommand(file: string, flags: ManageFlags): Promise<void> {
  if (flags.out) checkOutputFile(flags.out, "--out");
  const flagPolicies = flags.policy === undefined ? undefined : policyFlag(flags.policy);
  const scenario = loadScenario(file);
  if (flags.out) checkNotAnInput("--out", flags.out, manageInputs(scenario, flags.jobs));
  const trace = jobsFor(scenario, file, flags.jobs);
  const policies = flagPolicies ?? scenario.manager?.policies ?? POLICY_NAMES;
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

/** What manage reads: the scenario with its files, and the `--jobs` trace. */
function manageInputs(scenario: Scenario, jobs: string | undefined): InputFile[] {
  const inputs = scenarioInputs(scenario);
  if (jobs !== undefined) inputs.push({ file: jobs, what: "the job trace (--jobs)" });
  return inputs;
}

/** `--policy all` or a comma-separated list of policy names. */
function policyFlag(value: string): readonly string[] {
  if (value === "all") return POLICY_NAMES;
  const policies = value.split(",").map((p) => p.trim());
  for (const p of policies) {
    if (!POLICY_NAMES.includes(p))
      throw new WeftError(`--policy ${p}: unknown policy; expected all, ${POLICY_NAMES.join(", ")}`);
  }
  return policies;
}

/** The trace `--jobs` names, else the scenario's `manager:` section's. */
function jobsFor(scenario: Scenario, file: string, jobs: string | undefined): Trace {
  if (jobs !== undefined) return readJobTrace(jobs);
  if (scenario.manager) return scenario.manager.trace;
  throw new WeftError(
    `${file}: no jobs to place; expected --jobs TRACE or a manager: { jobs: TRACE or [...] } section in the scenario`,
  );
}
