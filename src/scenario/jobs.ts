/**
 * `jobs:`: several workloads on one fabric at once. Each job has a name, the accelerators it runs on (an
 * accelerator group, a list of nodes, or `placement: auto` with a count, packed onto the lowest free whole
 * nodes), a start time, a number of steps and the compute time between them; its workload is written as
 * under `workload:`; a training job takes whole nodes of one group and its parallelism fills them. Placements are resolved to global ranks here, where a clash can point at its line.
 */
import { normalizeCollective } from "./collective.js";
import { type Ctx, fail, n } from "./context.js";
import { normalizeInference } from "./inference.js";
import type { RawInference, RawJob, RawTraining } from "./schema.js";
import type { SourceIndex } from "./source-map.js";
import { normalizeTraffic } from "./traffic.js";
import { normalizeTraining } from "./training.js";
import type { GroupSpec, InferenceWorkload, JobSpec, TrainingWorkload } from "./types.js";

const JOB_KINDS = ["collective", "training", "inference", "traffic"] as const;

export function normalizeJobs(raw: RawJob[], groups: GroupSpec[], seed: number, ctx: Ctx): JobSpec[] {
  if (raw.length === 0) fail(ctx, ["jobs"], "jobs is empty; expected at least one job");
  const ranks = rankTable(groups);
  const used = new Uint8Array(ranks.total);
  const names = new Set<string>();
  return raw.map((job, i) => {
    const at = ["jobs", i];
    if (names.has(job.name))
      fail(ctx, [...at, "name"], `job name "${job.name}" is used twice; names must differ`);
    names.add(job.name);
    const given = JOB_KINDS.filter((k) => job[k] !== undefined);
    if (given.length !== 1) {
      fail(
        ctx,
        given.length > 1 ? [...at, given[1]] : at,
        `job "${job.name}" needs exactly one of ${JOB_KINDS.join(", ")}; got ${given.length === 0 ? "none" : given.join(" and ")}`,
        given.length > 1 ? "key" : "value",
      );
    }
    if ((job.training || job.inference) && job.compute !== undefined)
      fail(
        ctx,
        [...at, "compute"],
        `a${job.training ? " training" : "n inference"} job's compute comes from its model and parallelism; compute applies to collective and traffic jobs`,
        "key",
      );
    if (job.inference && job.steps !== undefined)
      fail(
        ctx,
        [...at, "steps"],
        "an inference job serves its requests once; steps applies to collective, training and traffic jobs",
        "key",
      );
    const placed = placement(job, ranks, used, groups, ctx, at);
    if ((job.collective || job.traffic) && placed.length < 2)
      fail(
        ctx,
        [...at, job.accelerators !== undefined ? "accelerators" : "placement"],
        `a ${job.collective ? "collective" : "traffic"} job runs among at least 2 accelerators; this placement gives it 1`,
      );
    const workload = job.collective
      ? { ...normalizeCollective(job.collective, groups, jobCtx(ctx, i)), ranks: placed.length }
      : job.training
        ? trainingJob(job.name, job.training, placed, groups, ctx, i)
        : job.inference
          ? inferenceJob(job.inference, placed, groups, seed, ctx, i)
          : normalizeTraffic(job.traffic!, groups, jobCtx(ctx, i), {
              count: placed.length,
              who: `job "${job.name}"`,
            });
    if (workload.kind === "traffic" && workload.pattern === "file")
      fail(
        ctx,
        [...at, "traffic", "pattern"],
        "a traffic job runs permutation, incast or all-to-all among its accelerators; pattern file is for workload:",
      );
    return {
      name: job.name,
      placement: job.placement,
      ...(job.accelerators !== undefined ? { accelerators: job.accelerators } : {}),
      workload,
      ranks: placed,
      startS: job.start ?? 0,
      steps: job.steps ?? 1,
      computeS: job.compute ?? 0,
    };
  });
}

/**
 * A training job lays its ranks out (Megatron order) over its accelerators in placement order: whole nodes
 * of one group. Its parallelism is checked against the job's accelerators, not the group's.
 */
function trainingJob(
  name: string,
  raw: RawTraining,
  placed: number[],
  groups: GroupSpec[],
  ctx: Ctx,
  i: number,
): TrainingWorkload {
  const w = jobWindow(placed, groups);
  if (!w.inside || !w.wholeNodes)
    fail(
      ctx,
      ["jobs", i, "placement"],
      `a training job runs on whole nodes of one accelerator group; expected nodes of "${w.home.name}" only, or accelerators a multiple of ${w.home.acceleratorsPerNode}`,
    );
  sameGroup(ctx, ["jobs", i, "training", "group"], raw.group, w.home);
  return normalizeTraining({ ...raw, group: w.home.name }, w.groups, jobCtx(ctx, i), `job "${name}"`);
}

/**
 * An inference job places its pools (prefill, decode) inside its accelerators as a scenario places them
 * inside a group: consecutive accelerators of one group, from the first. Pools name that group or none.
 */
function inferenceJob(
  raw: RawInference,
  placed: number[],
  groups: GroupSpec[],
  seed: number,
  ctx: Ctx,
  i: number,
): InferenceWorkload {
  const w = jobWindow(placed, groups);
  if (!w.inside || !w.wholeNodes || !placed.every((r, k) => r === placed[0] + k))
    fail(
      ctx,
      ["jobs", i, "placement"],
      `an inference job runs on consecutive whole nodes of one group; expected nodes listed in order, or accelerators a multiple of ${w.home.acceleratorsPerNode}`,
    );
  sameGroup(ctx, ["jobs", i, "inference", "prefill", "group"], raw.prefill.group, w.home);
  sameGroup(ctx, ["jobs", i, "inference", "decode", "group"], raw.decode?.group, w.home);
  const pool = (p: RawInference["prefill"]) => ({ ...p, group: w.home.name });
  return normalizeInference(
    { ...raw, prefill: pool(raw.prefill), ...(raw.decode ? { decode: pool(raw.decode) } : {}) },
    w.groups,
    seed,
    jobCtx(ctx, i),
  );
}

/**
 * The group that holds a job's first accelerator, whether every accelerator of the job is in it and the
 * job takes whole nodes, and the groups with that one cut down to the job's nodes (what its workload is
 * checked against).
 */
function jobWindow(placed: number[], groups: GroupSpec[]) {
  const table = rankTable(groups);
  const home = groups.find((g) => {
    const first = table.first.get(g.name);
    return first !== undefined && placed[0] >= first && placed[0] < first + g.nodes * g.acceleratorsPerNode;
  }) as GroupSpec;
  const first = table.first.get(home.name) as number;
  const end = first + home.nodes * home.acceleratorsPerNode;
  const apn = home.acceleratorsPerNode;
  return {
    home,
    inside: placed.every((r) => r >= first && r < end),
    wholeNodes: placed.length % apn === 0,
    groups: groups.map((g) => (g === home ? { ...g, nodes: placed.length / apn } : g)),
  };
}

/** A group named inside a job's workload must be the placement's group. */
function sameGroup(ctx: Ctx, path: (string | number)[], given: string | undefined, home: GroupSpec): void {
  if (given !== undefined && given !== home.name)
    fail(
      ctx,
      path,
      `the job is placed on group "${home.name}", not "${given}"; leave group out or name the placement's group`,
    );
}

/** Global ranks by group (group by group, node by node, accelerator by accelerator). */
function rankTable(groups: GroupSpec[]) {
  const first = new Map<string, number>();
  let total = 0;
  for (const g of groups) {
    if (g.kind !== "accelerator") continue;
    first.set(g.name, total);
    total += g.nodes * g.acceleratorsPerNode;
  }
  return { first, total };
}

function placement(
  job: RawJob,
  table: ReturnType<typeof rankTable>,
  used: Uint8Array,
  groups: GroupSpec[],
  ctx: Ctx,
  at: (string | number)[],
): number[] {
  const p = job.placement;
  let out: number[];
  if (p === "auto") {
    if (job.accelerators === undefined)
      fail(ctx, [...at, "placement"], `placement: auto needs "accelerators", the number the job uses`);
    out = autoPlace(job.accelerators, groups, table, used);
    if (out.length < job.accelerators) {
      fail(
        ctx,
        [...at, "accelerators"],
        `${n(job.accelerators)} accelerators asked, ${n(out.length)} are free in whole nodes after the jobs above; expected at most that many`,
      );
    }
  } else {
    if (job.accelerators !== undefined)
      fail(ctx, [...at, "accelerators"], `accelerators applies to placement: auto only`, "key");
    out =
      "group" in p
        ? groupRanks(p.group, groups, table, ctx, [...at, "placement", "group"])
        : nodeRanks(p.nodes, groups, table, ctx, [...at, "placement", "nodes"]);
  }
  for (const r of out) {
    if (used[r])
      fail(
        ctx,
        [...at, "placement"],
        `job "${job.name}" would share accelerator rank ${r} with a job above; placements must not overlap`,
      );
    used[r] = 1;
  }
  return out;
}

/** The lowest free whole nodes (in rank order) until `count` accelerators, the last node possibly in part. */
function autoPlace(
  count: number,
  groups: GroupSpec[],
  table: ReturnType<typeof rankTable>,
  used: Uint8Array,
): number[] {
  const out: number[] = [];
  for (const g of groups) {
    if (g.kind !== "accelerator") continue;
    const first = table.first.get(g.name) as number;
    for (let node = 0; node < g.nodes && out.length < count; node++) {
      const base = first + node * g.acceleratorsPerNode;
      let free = true;
      for (let a = 0; a < g.acceleratorsPerNode; a++) free &&= !used[base + a];
      if (!free) continue;
      for (let a = 0; a < g.acceleratorsPerNode && out.length < count; a++) out.push(base + a);
    }
  }
  return out;
}

function groupRanks(
  name: string,
  groups: GroupSpec[],
  table: ReturnType<typeof rankTable>,
  ctx: Ctx,
  path: (string | number)[],
): number[] {
  const g = groups.find((x) => x.name === name);
  if (g?.kind !== "accelerator") {
    const names = groups.filter((x) => x.kind === "accelerator").map((x) => x.name);
    fail(ctx, path, `"${name}" is not an accelerator group; expected one of ${names.join(", ")}`);
  }
  const first = table.first.get(name) as number;
  return Array.from({ length: g.nodes * g.acceleratorsPerNode }, (_, i) => first + i);
}

/** Nodes by name, `<group>-n<index>` as `weft plan` prints them. */
function nodeRanks(
  nodes: string[],
  groups: GroupSpec[],
  table: ReturnType<typeof rankTable>,
  ctx: Ctx,
  path: (string | number)[],
): number[] {
  const out: number[] = [];
  nodes.forEach((name, k) => {
    const first = nodes.indexOf(name);
    if (first < k)
      fail(
        ctx,
        [...path, k],
        `node "${name}" is listed twice (item ${first + 1} and ${k + 1}); expected each node once`,
      );
    const m = /^(.+)-n(\d+)$/.exec(name);
    const g = m ? groups.find((x) => x.name === m[1] && x.kind === "accelerator") : undefined;
    const index = m ? Number(m[2]) : -1;
    if (!g || index >= g.nodes) {
      fail(
        ctx,
        [...path, k],
        `no accelerator node "${name}"; expected <group>-n<i> such as ${groups.find((x) => x.kind === "accelerator")?.name ?? "gpu"}-n0, i below the group's node count`,
      );
    }
    const base = (table.first.get(g.name) as number) + index * g.acceleratorsPerNode;
    for (let a = 0; a < g.acceleratorsPerNode; a++) out.push(base + a);
  });
  return out;
}

/**
 * The context a job's workload is checked in: the workload normalizers speak of `workload.<kind>`, so the
 * job's positions are offered under that path.
 */
function jobCtx(ctx: Ctx, i: number): Ctx {
  const prefix = `jobs.${i}.`;
  const remap = (m: SourceIndex["values"]) => {
    const out = { ...m };
    for (const [k, v] of Object.entries(m))
      if (k.startsWith(prefix)) out[`workload.${k.slice(prefix.length)}`] = v;
    return out;
  };
  return { ...ctx, index: { values: remap(ctx.index.values), keys: remap(ctx.index.keys) } };
}
