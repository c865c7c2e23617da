/**
 * Shortest up-down paths between any two nodes by search, for what the closed forms do not cover: failed
 * links, switches as source or destination, NICs, and fabrics without a layout.
 *
 * An up-down path climbs up links, then descends down links. From the source, a breadth-first walk over
 * live up links gives each reachable node its hop count and the number of up paths to it (cntS); the same
 * walk from the destination (checking the down direction is live) gives cntD. A path turns at exactly one
 * node T, so the paths of the shortest length H are counted by Σ_T cntS[T]·cntD[T] over nodes T reached
 * from both sides with hopS + hopD = H. Link shares for `spread` follow from the forward counts times the
 * counts of shortest continuations (flowS, flowD).
 */
import { LinkTier } from "../topology/fabric.js";
import { live, type RouterContext, type SearchState } from "./context.js";
import { addWeight, type SpreadSink } from "./spread-sink.js";

function usable(ctx: RouterContext, l: number, withScaleUp: boolean): boolean {
  return withScaleUp || ctx.links.tier[l] !== LinkTier.scaleUp;
}

/** Breadth-first walk up from `start`; side S checks the up link, side D its reverse (used going down). */
function climb(ctx: RouterContext, start: number, sideS: boolean, withScaleUp: boolean): number {
  const s = ctx.search;
  const stamp = sideS ? s.stampS : s.stampD;
  const hop = sideS ? s.hopS : s.hopD;
  const cnt = sideS ? s.cntS : s.cntD;
  const queue = sideS ? s.queueS : s.queueD;
  stamp[start] = s.epoch;
  hop[start] = 0;
  cnt[start] = 1;
  queue[0] = start;
  let len = 1;
  for (let qi = 0; qi < len; qi++) {
    const u = queue[qi];
    for (let i = ctx.upStart[u]; i < ctx.upStart[u + 1]; i++) {
      const l = ctx.upLinks[i];
      if (!usable(ctx, l, withScaleUp) || !live(ctx, sideS ? l : ctx.reverse[l])) continue;
      const v = ctx.links.to[l];
      if (stamp[v] !== s.epoch) {
        stamp[v] = s.epoch;
        hop[v] = hop[u] + 1;
        cnt[v] = cnt[u];
        queue[len++] = v;
      } else if (hop[v] === hop[u] + 1) cnt[v] += cnt[u];
    }
  }
  return len;
}

function isTurn(s: SearchState, v: number): boolean {
  return s.stampS[v] === s.epoch && s.stampD[v] === s.epoch && s.hopS[v] + s.hopD[v] === s.hops;
}

/** Searches (src, dst) unless the state already holds it; returns the number of shortest paths. */
export function searchPaths(ctx: RouterContext, src: number, dst: number, withScaleUp: boolean): number {
  const s = ctx.search;
  if (s.src === src && s.dst === dst && s.withScaleUp === withScaleUp) return s.total;
  s.epoch++;
  if (s.epoch === 0x7fffffff) {
    s.stampS.fill(0);
    s.stampD.fill(0);
    s.epoch = 1;
  }
  s.src = src;
  s.dst = dst;
  s.withScaleUp = withScaleUp;
  s.lenS = climb(ctx, src, true, withScaleUp);
  s.lenD = climb(ctx, dst, false, withScaleUp);
  let best = -1;
  for (let i = 0; i < s.lenD; i++) {
    const v = s.queueD[i];
    if (s.stampS[v] !== s.epoch) continue;
    const h = s.hopS[v] + s.hopD[v];
    if (best < 0 || h < best) best = h;
  }
  s.hops = best;
  let total = 0;
  if (best >= 0) {
    for (let i = 0; i < s.lenD; i++) {
      const v = s.queueD[i];
      if (isTurn(s, v)) total += s.cntS[v] * s.cntD[v];
    }
  }
  s.total = total;
  return total;
}

/** Writes path k of the searched pair into out at pos; returns the new pos. */
export function searchPath(ctx: RouterContext, k: number, out: Int32Array, pos: number): number {
  const s = ctx.search;
  for (let i = 0; i < s.lenD; i++) {
    const t = s.queueD[i];
    if (!isTurn(s, t)) continue;
    const block = s.cntS[t] * s.cntD[t];
    if (k >= block) {
      k -= block;
      continue;
    }
    const up = k % s.cntS[t];
    const down = Math.floor(k / s.cntS[t]);
    const mid = pos + s.hopS[t];
    writeUp(ctx, t, up, out, mid);
    return writeDown(ctx, t, down, out, mid);
  }
  return pos;
}

/** The up part, written backwards from the turning node to the source, ending just before `end`. */
function writeUp(ctx: RouterContext, t: number, k: number, out: Int32Array, end: number): void {
  const s = ctx.search;
  let v = t;
  let pos = end;
  while (v !== s.src) {
    for (let i = ctx.inStart[v]; i < ctx.inStart[v + 1]; i++) {
      const l = ctx.inLinks[i];
      const u = ctx.links.from[l];
      if (s.stampS[u] !== s.epoch || s.hopS[u] !== s.hopS[v] - 1) continue;
      if (!usable(ctx, l, s.withScaleUp) || !live(ctx, l)) continue;
      if (k < s.cntS[u]) {
        out[--pos] = l;
        v = u;
        break;
      }
      k -= s.cntS[u];
    }
  }
}

function writeDown(ctx: RouterContext, t: number, k: number, out: Int32Array, pos: number): number {
  const s = ctx.search;
  let v = t;
  while (v !== s.dst) {
    for (let i = ctx.inStart[v]; i < ctx.inStart[v + 1]; i++) {
      const l = ctx.inLinks[i];
      const w = ctx.links.from[l];
      if (s.stampD[w] !== s.epoch || s.hopD[w] !== s.hopD[v] - 1) continue;
      const down = ctx.reverse[l];
      if (!usable(ctx, l, s.withScaleUp) || !live(ctx, down)) continue;
      if (k < s.cntD[w]) {
        out[pos++] = down;
        v = w;
        break;
      }
      k -= s.cntD[w];
    }
  }
  return pos;
}

/** Adds the searched pair's even split, scaled by `weight`, to the sink. */
export function searchSpread(ctx: RouterContext, weight: number, sink: SpreadSink): void {
  const s = ctx.search;
  if (s.total <= 0) return;
  const scale = weight / s.total;
  // Up side: flowS[v] = shortest continuations from v (turning at v, or climbing further).
  for (let qi = s.lenS - 1; qi >= 0; qi--) {
    const v = s.queueS[qi];
    let f = isTurn(s, v) ? s.cntD[v] : 0;
    for (let i = ctx.upStart[v]; i < ctx.upStart[v + 1]; i++) {
      const l = ctx.upLinks[i];
      const w = ctx.links.to[l];
      if (s.stampS[w] !== s.epoch || s.hopS[w] !== s.hopS[v] + 1) continue;
      if (!usable(ctx, l, s.withScaleUp) || !live(ctx, l) || s.flowS[w] <= 0) continue;
      f += s.flowS[w];
      addWeight(sink, l, s.cntS[v] * s.flowS[w] * scale);
    }
    s.flowS[v] = f;
  }
  // Down side: flowD[v] = shortest paths from the source that reach v ready to descend.
  for (let qi = s.lenD - 1; qi >= 0; qi--) {
    const v = s.queueD[qi];
    let f = isTurn(s, v) ? s.cntS[v] : 0;
    for (let i = ctx.upStart[v]; i < ctx.upStart[v + 1]; i++) {
      const l = ctx.upLinks[i];
      const w = ctx.links.to[l];
      if (s.stampD[w] !== s.epoch || s.hopD[w] !== s.hopD[v] + 1) continue;
      const down = ctx.reverse[l];
      if (!usable(ctx, l, s.withScaleUp) || !live(ctx, down) || s.flowD[w] <= 0) continue;
      f += s.flowD[w];
      addWeight(sink, down, s.flowD[w] * s.cntD[v] * scale);
    }
    s.flowD[v] = f;
  }
}
