/** `workload.training`: model, parallelism defaults, and the checks that the layout fits the group. */
import { type Ctx, fail, groupKindPhrase, n } from "./context.js";
import { resolveModel } from "./model.js";
import type { RawTraining } from "./schema.js";
import type { Path } from "./source-map.js";
import type { GroupSpec, ModelSpec, ParallelismSpec, TrainingWorkload } from "./types.js";

const W = ["workload", "training"];
const P = [...W, "parallelism"];

/** The accelerator group a workload runs on: the one named, or the first accelerator group. */
export function workloadGroup(
  name: string | undefined,
  groups: GroupSpec[],
  path: (string | number)[],
  ctx: Ctx,
): GroupSpec {
  const accelerator = groups.filter((g) => g.kind === "accelerator");
  if (name === undefined) {
    if (accelerator.length === 0)
      fail(ctx, path, "this workload needs an accelerator group; the cluster has none");
    return accelerator[0];
  }
  const g = groups.find((x) => x.name === name);
  if (g?.kind !== "accelerator") {
    fail(
      ctx,
      path,
      `${g ? `group "${name}" is ${groupKindPhrase(g.kind)}` : `no group named "${name}"`}; expected an accelerator group: ${accelerator.map((x) => x.name).join(", ")}`,
    );
  }
  return g;
}

/** Expert parallelism (ep > 1) needs experts to spread: a model with a `moe` section. */
export function requireMoe(
  ctx: Ctx,
  path: Path,
  ep: number,
  model: ModelSpec,
): asserts model is ModelSpec & { moe: NonNullable<ModelSpec["moe"]> } {
  if (!model.moe) {
    fail(ctx, path, `ep ${ep} needs a mixture-of-experts model; ${model.name} has no moe section`);
  }
}

/** `owner` names who runs it in errors (`job "t"`); default: the group. */
export function normalizeTraining(
  raw: RawTraining,
  groups: GroupSpec[],
  ctx: Ctx,
  owner?: string,
): TrainingWorkload {
  const group = workloadGroup(raw.group, groups, [...W, "group"], ctx);
  const model = resolveModel(raw.model, raw.seqLength, [...W, "model"], ctx);
  const accelerators = group.nodes * group.acceleratorsPerNode;
  const parallelism = resolveParallelism(raw.parallelism, accelerators);
  checkLayout(parallelism, model, group, accelerators, ctx, owner ?? `group "${group.name}"`);
  const microBatch = raw.microBatch ?? 1;
  const perStep = microBatch * parallelism.dp;
  if (raw.globalBatch % perStep !== 0) {
    fail(
      ctx,
      [...W, "globalBatch"],
      `globalBatch ${n(raw.globalBatch)} is not a multiple of microBatch × dp = ${microBatch} × ${parallelism.dp} = ${n(perStep)}; ` +
        "each data-parallel rank runs a whole number of micro-batches",
    );
  }
  if (raw.schedule === "dualpipe") checkDualPipe(parallelism, raw.globalBatch / perStep, ctx);
  return {
    kind: "training",
    model,
    parallelism,
    microBatch,
    globalBatch: raw.globalBatch,
    precision: raw.precision ?? "bf16",
    recompute: raw.recompute ?? "none",
    attention: raw.attention ?? "flash",
    ...(raw.schedule === "dualpipe" ? { schedule: "dualpipe" as const } : {}),
    group: group.name,
  };
}

/** DualPipe runs two directions over an even number of stages, each with at least pp micro-batches. */
function checkDualPipe(p: ParallelismSpec, microBatches: number, ctx: Ctx): void {
  const path = [...W, "schedule"];
  if (p.pp < 2 || p.pp % 2 !== 0)
    fail(ctx, path, `dualpipe needs an even pp ≥ 2 (one stage per direction on each rank), got pp ${p.pp}`);
  else if (p.vpp > 1)
    fail(ctx, path, `dualpipe holds two stages per rank already; use vpp 1 (got vpp ${p.vpp})`);
  else if (microBatches % 2 !== 0 || microBatches < 2 * p.pp)
    fail(
      ctx,
      path,
      `dualpipe needs an even number of micro-batches ≥ 2·pp = ${2 * p.pp} (half in each direction); ` +
        `globalBatch / (microBatch × dp) gives ${microBatches}`,
    );
}

function resolveParallelism(raw: RawTraining["parallelism"], accelerators: number): ParallelismSpec {
  const tp = raw?.tp ?? 1;
  const pp = raw?.pp ?? 1;
  const cp = raw?.cp ?? 1;
  // dp left out fills the group, when it divides evenly; otherwise the product check below says why.
  const rest = accelerators / (tp * pp * cp);
  const dp = raw?.dp ?? (Number.isInteger(rest) && rest >= 1 ? rest : 1);
  return {
    tp,
    pp,
    dp,
    ep: raw?.ep ?? 1,
    ...(raw?.etp !== undefined && raw.etp > 1 ? { etp: raw.etp } : {}),
    cp,
    vpp: raw?.vpp ?? 1,
    zero: (raw?.zero ?? 1) as ParallelismSpec["zero"],
    sequenceParallel: raw?.sequenceParallel ?? tp > 1,
  };
}

/** Expert tensor parallelism: an MoE model, experts split evenly, and room for etp · ep in a stage. */
function checkExpertTp(p: ParallelismSpec, etp: number, model: ModelSpec, ctx: Ctx): void {
  const path = [...P, "etp"];
  if (!model.moe)
    fail(ctx, path, `etp ${etp} needs a mixture-of-experts model; ${model.name} has no moe section`);
  else if (model.moe.expertFfnHidden % etp !== 0)
    fail(ctx, path, `etp ${etp} must divide the experts' FFN width ${model.moe.expertFfnHidden}`);
  else if ((p.tp * p.dp * p.cp) % (etp * p.ep) !== 0)
    fail(
      ctx,
      path,
      `etp × ep = ${etp} × ${p.ep} must divide tp × dp × cp = ${p.tp} × ${p.dp} × ${p.cp} = ${p.tp * p.dp * p.cp} (experts are laid out over a stage's ranks)`,
    );
}

function checkLayout(
  p: ParallelismSpec,
  model: ModelSpec,
  group: GroupSpec,
  accelerators: number,
  ctx: Ctx,
  owner: string,
): void {
  const product = p.tp * p.pp * p.dp * p.cp;
  if (product !== accelerators) {
    fail(
      ctx,
      P,
      `tp × pp × dp × cp = ${p.tp} × ${p.pp} × ${p.dp} × ${p.cp} = ${n(product)}, but ${owner} has ` +
        `${n(accelerators)} accelerators (${n(group.nodes)} nodes × ${group.acceleratorsPerNode}); expected the product to equal ${n(accelerators)}`,
    );
  }
  if (p.ep > 1) {
    requireMoe(ctx, [...P, "ep"], p.ep, model);
    if ((p.tp * p.dp * p.cp) % p.ep !== 0) {
      fail(
        ctx,
        [...P, "ep"],
        `ep ${p.ep} must divide tp × dp × cp = ${p.tp} × ${p.dp} × ${p.cp} = ${p.tp * p.dp * p.cp} (experts are laid out over the tensor-, data- and context-parallel ranks of a stage)`,
      );
    }
    if (model.moe.experts % p.ep !== 0) {
      fail(ctx, [...P, "ep"], `ep ${p.ep} must divide the ${model.moe.experts} experts of ${model.name}`);
    }
  }
  if (p.etp !== undefined && p.etp > 1) checkExpertTp(p, p.etp, model, ctx);
  if (p.pp * p.vpp > model.layers) {
    fail(
      ctx,
      [...P, p.vpp > 1 ? "vpp" : "pp"],
      `pp × vpp = ${p.pp} × ${p.vpp} = ${p.pp * p.vpp} stages is more than the ${model.layers} layers of ${model.name}`,
    );
  }
  if (p.vpp > 1 && p.pp === 1) fail(ctx, [...P, "vpp"], `vpp ${p.vpp} (interleaved pipeline) needs pp > 1`);
  if (model.heads % p.tp !== 0) {
    fail(ctx, [...P, "tp"], `tp ${p.tp} must divide the ${model.heads} attention heads of ${model.name}`);
  }
  const domain = group.scaleUp?.domain ?? group.acceleratorsPerNode;
  if (p.tp > domain) {
    ctx.warnings.push(
      `training: tp ${p.tp} spans more than one scale-up domain of ${domain} accelerators in group "${group.name}"; tensor-parallel traffic crosses the scale-out network`,
    );
  }
}
