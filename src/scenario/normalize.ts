/**
 * From the schema-checked document to the normalized Scenario: catalog overrides, defaults, catalog
 * look-ups and cross-field checks, each failing at the position of the key it is about.
 */
import { builtinCatalog } from "../catalog/index.js";
import { type CatalogOverrides, mergeCatalog } from "../catalog/merge.js";
import { normalizeCollective } from "./collective.js";
import { at, type Ctx, fail, keyAt } from "./context.js";
import { normalizeFailures } from "./failures.js";
import { normalizeGroups } from "./groups.js";
import { normalizeInference } from "./inference.js";
import { normalizeJobs } from "./jobs.js";
import { normalizeManager } from "./manager.js";
import { normalizeScaleOut, normalizeTransport } from "./scale-out.js";
import type { RawScenario, RawWorkload } from "./schema.js";
import { normalizeTraffic } from "./traffic.js";
import { normalizeTraining } from "./training.js";
import type { GroupSpec, Scenario, SimulationSpec, Workload } from "./types.js";

const WORKLOAD_KINDS = ["collective", "training", "inference", "traffic"] as const;

export const DEFAULT_SIMULATION: SimulationSpec = {
  fidelity: "flow",
  sharing: "max-min",
  seed: 1,
  failureDetection: 50e-6,
};

export function normalizeScenario(raw: RawScenario, ctx: Ctx): Omit<Scenario, "file" | "sourceMap"> {
  const catalog = mergeCatalog(builtinCatalog(), raw.hardware as CatalogOverrides | undefined, {
    locate: (p, part) => (part === "key" ? keyAt(ctx, ["hardware", ...p]) : at(ctx, ["hardware", ...p])),
  });
  const groups = normalizeGroups(raw.cluster.groups, catalog, raw.prices?.acceleratorHour, ctx);
  const scaleOut = normalizeScaleOut(raw.cluster.scaleOut, groups, catalog, ctx);
  const transport = normalizeTransport(raw.cluster.transport, ctx);
  const simulation: SimulationSpec = {
    fidelity: raw.simulation?.fidelity ?? DEFAULT_SIMULATION.fidelity,
    sharing: raw.simulation?.sharing ?? DEFAULT_SIMULATION.sharing,
    seed: raw.simulation?.seed ?? DEFAULT_SIMULATION.seed,
    failureDetection: raw.simulation?.failureDetection ?? DEFAULT_SIMULATION.failureDetection,
  };
  if ((raw.workload === undefined) === (raw.jobs === undefined)) {
    fail(
      ctx,
      raw.jobs ? ["jobs"] : [],
      raw.jobs
        ? "a scenario has either workload (one job) or jobs (several), not both"
        : "missing workload; expected workload (one job) or jobs (several on one fabric)",
      "key",
    );
  }
  const jobs = raw.jobs ? normalizeJobs(raw.jobs, groups, simulation.seed, ctx) : undefined;
  const workload = jobs ? jobs[0].workload : normalizeWorkload(raw.workload!, groups, simulation.seed, ctx);
  const failures = normalizeFailures(raw.failures, scaleOut, groups, ctx);
  const manager = raw.manager && normalizeManager(raw.manager, ctx);
  return {
    name: raw.name,
    cluster: { groups, scaleOut, transport },
    workload,
    ...(jobs ? { jobs } : {}),
    simulation,
    failures,
    ...(manager ? { manager } : {}),
    catalog,
    warnings: ctx.warnings,
  };
}

function normalizeWorkload(raw: RawWorkload, groups: GroupSpec[], seed: number, ctx: Ctx): Workload {
  const given = WORKLOAD_KINDS.filter((k) => raw[k] !== undefined);
  if (given.length !== 1) {
    fail(
      ctx,
      given.length > 1 ? ["workload", given[1]] : ["workload"],
      `workload needs exactly one of ${WORKLOAD_KINDS.join(", ")}; got ${given.length === 0 ? "none" : given.join(" and ")}`,
      given.length > 1 ? "key" : "value",
    );
  }
  if (raw.collective) return normalizeCollective(raw.collective, groups, ctx);
  if (raw.training) return normalizeTraining(raw.training, groups, ctx);
  if (raw.inference) return normalizeInference(raw.inference, groups, seed, ctx);
  return normalizeTraffic(raw.traffic!, groups, ctx);
}
