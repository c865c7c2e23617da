/**
 * The `manager:` section: what `weft manage` runs on the scenario's cluster without flags — the jobs (a
 * trace file, relative to the scenario, or an inline list), tenant policies and the placement policies to
 * compare. `--jobs` and `--policy` override it (docs/fabric-manager.md).
 *
 *   manager:
 *     jobs: jobs/mixed-tenants.yaml        # or a list of jobs as a trace file's jobs: takes them
 *     tenants: { blue: { isolate: leaf } } # merged over the trace file's, by tenant
 *     policies: [topology, first-fit]      # default: all of them
 */
import { z } from "zod";
import { at, type Ctx, fail, scenarioFile } from "./context.js";
import { text } from "./fields.js";
import { readJobTrace, type Trace, tenantsFrom, traceFrom, traceJobs, traceTenants } from "./job-trace.js";
import { checkSchema } from "./yaml-document.js";

/** The placement policies, in the order `all` runs them (src/control/placement/policies.ts has one each). */
export const MANAGER_POLICIES = ["topology", "first-fit", "random"] as const;
export type ManagerPolicy = (typeof MANAGER_POLICIES)[number];

export const managerSection = z.strictObject({
  // A path or a list: the list is checked entry by entry in normalizeManager, so that an error inside it
  // names the entry's own key rather than "not a path and not a list".
  jobs: z.union([text, z.array(z.unknown())], {
    error: "expected a job trace file (such as jobs/trace.yaml) or a list of jobs",
  }),
  tenants: traceTenants.optional(),
  policies: z.array(z.enum(MANAGER_POLICIES)).min(1).optional(),
});

export type RawManager = z.output<typeof managerSection>;

export interface ManagerSpec {
  /** The jobs to place (by arrival) and the tenants' policies. */
  trace: Trace;
  /** Absolute path of the trace file, when `jobs:` names one (else the jobs were inline). */
  traceFile?: string;
  /** Run side by side, in this order. */
  policies: ManagerPolicy[];
}

const M = ["manager"] as const;

export function normalizeManager(raw: RawManager, ctx: Ctx): ManagerSpec {
  const policies = raw.policies ?? [...MANAGER_POLICIES];
  policies.forEach((p, i) => {
    if (policies.indexOf(p) !== i)
      fail(ctx, [...M, "policies", i], `policy ${p} is listed twice; expected each policy once`);
  });
  if (typeof raw.jobs === "string") {
    const traceFile = scenarioFile(ctx, [...M, "jobs"], raw.jobs);
    const trace = readJobTrace(traceFile, at(ctx, [...M, "jobs"]));
    // The section's tenant policies win over the file's, tenant by tenant.
    const tenants = { ...trace.tenants, ...tenantsFrom(raw.tenants) };
    return { trace: { ...trace, tenants }, traceFile, policies };
  }
  const jobs = checkSchema(traceJobs, raw.jobs, ctx, [...M, "jobs"]);
  return { trace: traceFrom({ jobs, tenants: raw.tenants }, ctx, M), policies };
}
