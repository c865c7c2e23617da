/**
 * Scale-out paths between two endpoints in closed form, over their NIC ports (layout.portStart…): the
 * shortest paths use the port pairs whose leaves are closest (same leaf < same pod < across pods; ports in
 * different planes never meet), and each such pair contributes its leaf-to-leaf paths between the port
 * prefix (host link to the NIC, NIC uplink) and the mirrored suffix. Two endpoints behind the same NIC
 * return SHARED_NIC: the search handles that rare case.
 */
import { leafLevel, leafPairCount, leafPairPath, leafPairSpread, UNREACHABLE } from "./clos-paths.js";
import type { RouterContext } from "./context.js";
import { addWeight, type SpreadSink } from "./spread-sink.js";

export const SHARED_NIC = -1;

export function hasPorts(ctx: RouterContext, v: number): boolean {
  const lay = ctx.layout;
  return lay !== undefined && lay.portStart[v + 1] > lay.portStart[v];
}

function pairLevel(ctx: RouterContext, ps: number, pd: number): number {
  const lay = ctx.layout!;
  const hs = lay.portHost[ps];
  const hd = lay.portHost[pd];
  if (hs >= 0 && hd >= 0 && ctx.links.to[hs] === ctx.links.to[hd]) return SHARED_NIC;
  return leafLevel(ctx, lay.portLeaf[ps], lay.portLeaf[pd]);
}

/** The closest level over all port pairs (UNREACHABLE when none meet, SHARED_NIC when a NIC is shared). */
export function portLevel(ctx: RouterContext, src: number, dst: number): number {
  const lay = ctx.layout!;
  let best = UNREACHABLE;
  for (let ps = lay.portStart[src]; ps < lay.portStart[src + 1]; ps++) {
    for (let pd = lay.portStart[dst]; pd < lay.portStart[dst + 1]; pd++) {
      const level = pairLevel(ctx, ps, pd);
      if (level === SHARED_NIC) return SHARED_NIC;
      if (level < best) best = level;
    }
  }
  return best;
}

export function portCount(ctx: RouterContext, src: number, dst: number, level: number): number {
  if (level === UNREACHABLE) return 0;
  const lay = ctx.layout!;
  let total = 0;
  for (let ps = lay.portStart[src]; ps < lay.portStart[src + 1]; ps++) {
    for (let pd = lay.portStart[dst]; pd < lay.portStart[dst + 1]; pd++) {
      if (pairLevel(ctx, ps, pd) === level) total += leafPairCount(ctx, lay.portLeaf[ps], level);
    }
  }
  return total;
}

export function portPath(
  ctx: RouterContext,
  src: number,
  dst: number,
  level: number,
  k: number,
  out: Int32Array,
  pos: number,
): number {
  const lay = ctx.layout!;
  for (let ps = lay.portStart[src]; ps < lay.portStart[src + 1]; ps++) {
    for (let pd = lay.portStart[dst]; pd < lay.portStart[dst + 1]; pd++) {
      if (pairLevel(ctx, ps, pd) !== level) continue;
      const a = lay.portLeaf[ps];
      const n = leafPairCount(ctx, a, level);
      if (k >= n) {
        k -= n;
        continue;
      }
      if (lay.portHost[ps] >= 0) out[pos++] = lay.portHost[ps];
      out[pos++] = lay.portUp[ps];
      pos = leafPairPath(ctx, a, lay.portLeaf[pd], level, k, out, pos);
      out[pos++] = ctx.reverse[lay.portUp[pd]];
      if (lay.portHost[pd] >= 0) out[pos++] = ctx.reverse[lay.portHost[pd]];
      return pos;
    }
  }
  return pos;
}

/** Adds the even split over all shortest paths (total = portCount), scaled by `weight`. */
export function portSpread(
  ctx: RouterContext,
  src: number,
  dst: number,
  level: number,
  total: number,
  weight: number,
  sink: SpreadSink,
): void {
  const lay = ctx.layout!;
  for (let ps = lay.portStart[src]; ps < lay.portStart[src + 1]; ps++) {
    for (let pd = lay.portStart[dst]; pd < lay.portStart[dst + 1]; pd++) {
      if (pairLevel(ctx, ps, pd) !== level) continue;
      const a = lay.portLeaf[ps];
      const w = (weight * leafPairCount(ctx, a, level)) / total;
      if (lay.portHost[ps] >= 0) addWeight(sink, lay.portHost[ps], w);
      addWeight(sink, lay.portUp[ps], w);
      leafPairSpread(ctx, a, lay.portLeaf[pd], level, w, sink);
      addWeight(sink, ctx.reverse[lay.portUp[pd]], w);
      if (lay.portHost[pd] >= 0) addWeight(sink, ctx.reverse[lay.portHost[pd]], w);
    }
  }
}
