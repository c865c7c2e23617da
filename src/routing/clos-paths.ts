/**
 * Closed-form equal-cost paths between two leaves of the builder's Clos networks (layout numbering in
 * src/topology/layout.ts), with no failed links. Levels: 0 same leaf, 1 turn at a spine, 2 turn at a core.
 * - 2 tiers: S spines × U/S parallel links up × U/S down: S·(U/S)² paths; every leaf uplink carries 1/U.
 * - 3 tiers, same pod: U paths (one per pod spine).
 * - 3 tiers, different pods: U spines × V spine uplinks × V/Cg parallel links down: U·V·(V/Cg) paths;
 *   each leaf uplink carries 1/U, each spine uplink 1/(U·V).
 */
import type { ClosNetwork } from "../topology/layout.js";
import type { RouterContext } from "./context.js";
import { addWeight, type SpreadSink } from "./spread-sink.js";

export const UNREACHABLE = 99;

export function leafLevel(ctx: RouterContext, a: number, b: number): number {
  if (a === b) return 0;
  const lay = ctx.layout!;
  const na = lay.switchNet[a];
  if (na < 0 || na !== lay.switchNet[b]) return UNREACHABLE;
  const net = lay.networks[na];
  if (net.tiers === 2) return 1;
  if (net.tiers !== 3) return UNREACHABLE;
  return podOf(ctx, a, net) === podOf(ctx, b, net) ? 1 : 2;
}

function podOf(ctx: RouterContext, leaf: number, net: ClosNetwork): number {
  return Math.floor(ctx.layout!.switchIndex[leaf] / net.spineDown);
}

function netOf(ctx: RouterContext, leaf: number): ClosNetwork {
  const lay = ctx.layout!;
  return lay.networks[lay.switchNet[leaf]];
}

export function leafPairCount(ctx: RouterContext, a: number, level: number): number {
  if (level === 0) return 1;
  const net = netOf(ctx, a);
  if (level === 1) return net.tiers === 2 ? net.spineSets * net.copies * net.copies : net.leafUp;
  return net.leafUp * net.spineUp * net.coreCopies;
}

/** Writes path k between leaves a and b (level from leafLevel) into out at pos; returns the new pos. */
export function leafPairPath(
  ctx: RouterContext,
  a: number,
  b: number,
  level: number,
  k: number,
  out: Int32Array,
  pos: number,
): number {
  if (level === 0) return pos;
  const up = ctx.layout!.upBase;
  const rev = ctx.reverse;
  const net = netOf(ctx, a);
  if (level === 1 && net.tiers === 2) {
    const s = k % net.spineSets;
    const r = Math.floor(k / net.spineSets);
    out[pos++] = up[a] + 2 * (s + (r % net.copies) * net.spineSets);
    out[pos++] = rev[up[b] + 2 * (s + Math.floor(r / net.copies) * net.spineSets)];
    return pos;
  }
  if (level === 1) {
    out[pos++] = up[a] + 2 * k;
    out[pos++] = rev[up[b] + 2 * k];
    return pos;
  }
  const j = k % net.leafUp;
  const r = Math.floor(k / net.leafUp);
  const i = r % net.spineUp;
  const copyDown = Math.floor(r / net.spineUp);
  const core = i % net.coreGroup;
  const spineA = net.firstSpine + podOf(ctx, a, net) * net.spineSets + j;
  const spineB = net.firstSpine + podOf(ctx, b, net) * net.spineSets + j;
  out[pos++] = up[a] + 2 * j;
  out[pos++] = up[spineA] + 2 * i;
  out[pos++] = rev[up[spineB] + 2 * (core + copyDown * net.coreGroup)];
  out[pos++] = rev[up[b] + 2 * j];
  return pos;
}

/** Adds the even split between leaves a and b, scaled by `weight`. */
export function leafPairSpread(
  ctx: RouterContext,
  a: number,
  b: number,
  level: number,
  weight: number,
  sink: SpreadSink,
): void {
  if (level === 0) return;
  const up = ctx.layout!.upBase;
  const rev = ctx.reverse;
  const net = netOf(ctx, a);
  const u = net.leafUp;
  for (let j = 0; j < u; j++) {
    addWeight(sink, up[a] + 2 * j, weight / u);
    addWeight(sink, rev[up[b] + 2 * j], weight / u);
  }
  if (level === 1) return;
  const v = net.spineUp;
  const w = weight / (u * v);
  const podA = podOf(ctx, a, net) * net.spineSets;
  const podB = podOf(ctx, b, net) * net.spineSets;
  for (let j = 0; j < u; j++) {
    const spineA = up[net.firstSpine + podA + j];
    const spineB = up[net.firstSpine + podB + j];
    for (let i = 0; i < v; i++) {
      addWeight(sink, spineA + 2 * i, w);
      addWeight(sink, rev[spineB + 2 * i], w);
    }
  }
}
