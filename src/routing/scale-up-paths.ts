/**
 * Paths inside a scale-up domain (layout numbering in src/topology/layout.ts): through the domain's switch
 * (2 hops), over the direct mesh link (1 hop), or round a ring the shorter way (both ways when they tie;
 * when failures cut the shorter way, the longer one). Also an accelerator to or from its own domain switch.
 */
import { ScaleUpTopologyCode } from "../topology/layout.js";
import { live, type RouterContext } from "./context.js";
import { addWeight, type SpreadSink } from "./spread-sink.js";

const FORWARD = 1;
const BACKWARD = 2;

function meshLink(base: number, size: number, i: number, j: number, reverse: Int32Array): number {
  const lo = Math.min(i, j);
  const hi = Math.max(i, j);
  const l = base + 2 * (lo * size - (lo * (lo + 1)) / 2 + (hi - lo - 1));
  return i < j ? l : reverse[l];
}

/** Ring link leaving position x forward (to x+1) or backward (to x−1). */
function ringLink(ctx: RouterContext, base: number, size: number, x: number, forward: boolean): number {
  return forward ? base + 2 * x : ctx.reverse[base + 2 * ((x - 1 + size) % size)];
}

function ringWayLive(
  ctx: RouterContext,
  base: number,
  size: number,
  i: number,
  steps: number,
  forward: boolean,
): boolean {
  if (!ctx.hasFailures) return true;
  let x = i;
  for (let t = 0; t < steps; t++) {
    if (!live(ctx, ringLink(ctx, base, size, x, forward))) return false;
    x = (x + (forward ? 1 : size - 1)) % size;
  }
  return true;
}

/** Which ways round the ring the paths take: FORWARD | BACKWARD bits. */
function ringWays(ctx: RouterContext, base: number, size: number, i: number, j: number): number {
  const f = (j - i + size) % size;
  const b = size - f;
  const fOk = ringWayLive(ctx, base, size, i, f, true);
  const bOk = ringWayLive(ctx, base, size, i, b, false);
  let ways = 0;
  if (f <= b && fOk) ways |= FORWARD;
  if (b <= f && bOk) ways |= BACKWARD;
  if (ways === 0) ways = (fOk ? FORWARD : 0) | (bOk && !fOk ? BACKWARD : 0);
  return ways;
}

interface Pair {
  topo: number;
  base: number;
  size: number;
  i: number;
  j: number;
}

const pair: Pair = { topo: 0, base: 0, size: 0, i: 0, j: 0 };

function locate(ctx: RouterContext, rs: number, rd: number): Pair {
  const dom = ctx.layout!.domains;
  const d = ctx.fabric.accelerators.domain[rs];
  const first = dom.firstRank[d];
  pair.topo = dom.topology[d];
  pair.base = dom.linkBase[d];
  pair.size = dom.firstRank[d + 1] - first;
  pair.i = rs - first;
  pair.j = rd - first;
  return pair;
}

export function scaleUpCount(ctx: RouterContext, rs: number, rd: number): number {
  const p = locate(ctx, rs, rd);
  if (p.topo === ScaleUpTopologyCode.switch) {
    return live(ctx, p.base + 2 * p.i) && live(ctx, ctx.reverse[p.base + 2 * p.j]) ? 1 : 0;
  }
  if (p.topo === ScaleUpTopologyCode.mesh)
    return live(ctx, meshLink(p.base, p.size, p.i, p.j, ctx.reverse)) ? 1 : 0;
  if (p.topo !== ScaleUpTopologyCode.ring) return 0;
  if (p.size === 2) return live(ctx, p.i === 0 ? p.base : ctx.reverse[p.base]) ? 1 : 0;
  const ways = ringWays(ctx, p.base, p.size, p.i, p.j);
  return (ways & 1) + (ways >> 1);
}

export function scaleUpPath(
  ctx: RouterContext,
  rs: number,
  rd: number,
  k: number,
  out: Int32Array,
  pos: number,
): number {
  const p = locate(ctx, rs, rd);
  if (p.topo === ScaleUpTopologyCode.switch) {
    out[pos++] = p.base + 2 * p.i;
    out[pos++] = ctx.reverse[p.base + 2 * p.j];
    return pos;
  }
  if (p.topo === ScaleUpTopologyCode.mesh) {
    out[pos++] = meshLink(p.base, p.size, p.i, p.j, ctx.reverse);
    return pos;
  }
  if (p.size === 2) {
    out[pos++] = p.i === 0 ? p.base : ctx.reverse[p.base];
    return pos;
  }
  const ways = ringWays(ctx, p.base, p.size, p.i, p.j);
  const forward = ways === FORWARD || (ways === (FORWARD | BACKWARD) && k === 0);
  const f = (p.j - p.i + p.size) % p.size;
  const steps = forward ? f : p.size - f;
  let x = p.i;
  for (let t = 0; t < steps; t++) {
    out[pos++] = ringLink(ctx, p.base, p.size, x, forward);
    x = (x + (forward ? 1 : p.size - 1)) % p.size;
  }
  return pos;
}

export function scaleUpSpread(
  ctx: RouterContext,
  rs: number,
  rd: number,
  weight: number,
  sink: SpreadSink,
): void {
  const n = scaleUpCount(ctx, rs, rd);
  for (let k = 0; k < n; k++) {
    const end = scaleUpPath(ctx, rs, rd, k, ctx.scratch, 0);
    for (let i = 0; i < end; i++) addWeight(sink, ctx.scratch[i], weight / n);
  }
}

/** The most links a scale-up path can take in this fabric. */
export function scaleUpMaxHops(ctx: RouterContext): number {
  const dom = ctx.layout?.domains;
  let most = 0;
  if (!dom) return 0;
  for (let d = 0; d < dom.count; d++) {
    const size = dom.firstRank[d + 1] - dom.firstRank[d];
    const t = dom.topology[d];
    const hops =
      t === ScaleUpTopologyCode.switch ? 2 : t === ScaleUpTopologyCode.mesh ? 1 : t === 0 ? 0 : size - 1;
    most = Math.max(most, hops);
  }
  return most;
}

/** The switch of an accelerator's domain, or -1. */
export function domainSwitch(ctx: RouterContext, rank: number): number {
  const dom = ctx.layout!.domains;
  return dom.switchNode[ctx.fabric.accelerators.domain[rank]];
}

/** Link between an accelerator and its domain switch: up (to the switch) or down. */
export function switchLink(ctx: RouterContext, rank: number, up: boolean): number {
  const dom = ctx.layout!.domains;
  const d = ctx.fabric.accelerators.domain[rank];
  const l = dom.linkBase[d] + 2 * (rank - dom.firstRank[d]);
  return up ? l : ctx.reverse[l];
}
