/** `workload.collective`: the size sweep (nccl-tests' -b/-e/-f) and which ranks take part. */

import { nearestNames } from "../catalog/nearest.js";
import { COUNT_LIMITS } from "../limits.js";
import { type Ctx, fail, groupKindPhrase, n } from "./context.js";
import type { RawCollective } from "./schema.js";
import type { CollectiveWorkload, GroupSpec } from "./types.js";

const W = ["workload", "collective"];

/**
 * nccl-tests' sweep: min, min·f, min·f², … while ≤ max (a relative tolerance absorbs float error), in
 * whole bytes; a factor close to 1 can round two steps to the same size, which is listed once.
 */
export function expandSizes(min: number, max: number, factor: number): number[] {
  const sizes: number[] = [];
  for (let s = min; s <= max * (1 + 1e-12); s *= factor) {
    const bytes = Math.round(s);
    if (bytes !== sizes[sizes.length - 1]) sizes.push(bytes);
  }
  return sizes;
}

export function normalizeCollective(raw: RawCollective, groups: GroupSpec[], ctx: Ctx): CollectiveWorkload {
  return {
    kind: "collective",
    op: raw.op,
    sizes: resolveSizes(raw, ctx),
    algorithm: raw.algorithm ?? "auto",
    ranks: resolveRanks(raw.ranks, groups, ctx),
  };
}

/** Two sizes are a [min, max] range (factor 2 unless given); one or three or more are a list. */
function resolveSizes(raw: RawCollective, ctx: Ctx): number[] {
  if (raw.sizes.length !== 2) {
    if (raw.factor !== undefined) {
      fail(
        ctx,
        [...W, "factor"],
        `factor applies to a [min, max] range of two sizes; sizes has ${raw.sizes.length} entries`,
      );
    }
    return raw.sizes.map((s) => Math.round(s));
  }
  const [min, max] = raw.sizes;
  if (min > max) fail(ctx, [...W, "sizes"], `sizes [min, max]: min ${n(min)} B is above max ${n(max)} B`);
  const factor = raw.factor ?? 2;
  const steps = Math.floor(Math.log(max / min) / Math.log(factor) + 1e-9) + 1;
  if (steps > COUNT_LIMITS.sweepSizes.max) {
    fail(
      ctx,
      [...W, raw.factor !== undefined ? "factor" : "sizes"],
      `sizes [${n(min)} B, ${n(max)} B] by factor ${factor} make ${n(steps)} sizes; expected at most ${COUNT_LIMITS.sweepSizes.max} (a larger factor or a narrower range)`,
    );
  }
  return expandSizes(min, max, factor);
}

function resolveRanks(
  raw: RawCollective["ranks"],
  groups: GroupSpec[],
  ctx: Ctx,
): CollectiveWorkload["ranks"] {
  const path = [...W, "ranks"];
  const total = groups.reduce((s, g) => s + g.nodes * g.acceleratorsPerNode, 0);
  if (total === 0) fail(ctx, W, "a collective needs accelerators; the cluster has no accelerator group");
  // One rank moves nothing over the fabric: there is no collective to time.
  const oneRank = (what: string) => fail(ctx, path, `${what}; a collective runs among at least 2 ranks`);
  if (raw === undefined || raw === "all") {
    if (total === 1) oneRank("the cluster has 1 accelerator");
    return "all";
  }
  if (typeof raw === "number") {
    if (raw > total)
      fail(ctx, path, `ranks ${n(raw)} is more than the ${n(total)} accelerators of the cluster`);
    if (raw === 1) oneRank("ranks is 1");
    return raw;
  }
  const g = groups.find((x) => x.name === raw);
  if (g?.kind !== "accelerator") {
    const names = groups.filter((x) => x.kind === "accelerator").map((x) => x.name);
    fail(
      ctx,
      path,
      `${g ? `group "${raw}" is ${groupKindPhrase(g.kind)}` : `no group named "${raw}"`}; expected all, a number ≤ ${n(total)}, ` +
        `or an accelerator group (${g ? names.join(", ") : nearestNames(raw, names).join(", ")})`,
    );
  }
  if (g.nodes * g.acceleratorsPerNode === 1) oneRank(`group "${raw}" has 1 accelerator`);
  return raw;
}
