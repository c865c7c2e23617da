/** `failures`: links or switches that go down (or degrade) at a time. */
import { type Ctx, fail } from "./context.js";
import type { RawFailure } from "./schema.js";
import type { FailureSpec, GroupSpec, ScaleOutSpec } from "./types.js";

/** Scale-out link tiers are named by their upper end: `leaf` = node to leaf, `spine`, `core`. */
function tierExists(tier: string, scaleOut: ScaleOutSpec, groups: GroupSpec[]): boolean {
  if (tier === "scaleUp") return groups.some((g) => g.scaleUp !== undefined);
  if (tier === "leaf") return true;
  if (tier === "spine") return scaleOut.tiers >= 2;
  return scaleOut.tiers >= 3;
}

export function normalizeFailures(
  raw: RawFailure[] | undefined,
  scaleOut: ScaleOutSpec,
  groups: GroupSpec[],
  ctx: Ctx,
): FailureSpec[] {
  return (raw ?? []).map((f, i) => {
    const path = ["failures", i];
    if ((f.link === undefined) === (f.switch === undefined)) {
      fail(
        ctx,
        path,
        `failures[${i}] needs exactly one of "link" or "switch" (${f.link === undefined ? "got neither" : "got both"})`,
      );
    }
    const degrade = f.degrade ?? 1;
    if (degrade === 0)
      fail(
        ctx,
        [...path, "degrade"],
        "degrade 0% changes nothing; expected a share of bandwidth lost above 0%, up to 100% (down)",
      );
    if (f.switch !== undefined) return { at: f.at, target: { kind: "switch", name: f.switch }, degrade };
    if (typeof f.link === "string") return { at: f.at, target: { kind: "link", name: f.link }, degrade };
    const { tier, count } = f.link!;
    if (!tierExists(tier, scaleOut, groups)) {
      fail(
        ctx,
        [...path, "link", "tier"],
        `this fabric has no ${tier} links (a ${scaleOut.tiers}-tier ${scaleOut.topology}); expected leaf${scaleOut.tiers >= 2 ? ", spine" : ""}${scaleOut.tiers >= 3 ? ", core" : ""} or scaleUp`,
      );
    }
    return { at: f.at, target: { kind: "links", tier, count }, degrade };
  });
}
