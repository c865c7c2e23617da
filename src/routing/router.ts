/**
 * makeRouter: all equal-cost up-down paths between two nodes, computed per pair from the fabric's structure.
 *
 * Which fabric carries a pair:
 * - accelerators of one scale-up domain: the scale-up fabric (scale-up-paths.ts); if failures cut every
 *   scale-up path, scale-out;
 * - an accelerator and its domain switch: the one link between them (in-network reduction);
 * - rail-aware (NCCL PXN): accelerators on different rails in different domains first cross the scale-up
 *   domain to the accelerator of the source's server on the destination's rail, then go out on that rail;
 *   an accelerator that reaches a destination on none of its rails goes via the first peer that does;
 * - otherwise scale-out: closed forms over NIC ports and leaf positions (port-paths.ts, clos-paths.ts) when
 *   no link has failed, else a search over live up links (search.ts), which also serves switches and NICs
 *   as endpoints and fabrics built without a layout.
 * `failed` is read when the router is made: make a new router after links fail or recover.
 */
import { type Fabric, LinkTier, NodeKind, SwitchTier } from "../topology/fabric.js";
import { ScaleUpTopologyCode } from "../topology/layout.js";
import { live, makeContext, type RouterContext } from "./context.js";
import { hasPorts, portCount, portLevel, portPath, portSpread, SHARED_NIC } from "./port-paths.js";
import {
  domainSwitch,
  scaleUpCount,
  scaleUpMaxHops,
  scaleUpPath,
  scaleUpSpread,
  switchLink,
} from "./scale-up-paths.js";
import { searchPath, searchPaths, searchSpread } from "./search.js";
import { addWeight, closeSink, openSink } from "./spread-sink.js";
import type { Router, RoutingOptions } from "./types.js";

const Mode = { none: 0, self: 1, scaleUp: 2, toSwitch: 3, fromSwitch: 4, scaleOut: 5, proxy: 6 } as const;
const Out = { ports: 0, search: 1 } as const;

/** The resolved route of the last pair asked about. */
interface Route {
  src: number;
  dst: number;
  mode: number;
  count: number;
  /** Scale-up leg (scaleUp and proxy modes): ranks and path count. */
  rankS: number;
  rankT: number;
  upCount: number;
  /** Scale-out leg: from node, mode, closed-form level, path count. */
  from: number;
  outMode: number;
  level: number;
  outCount: number;
}

export function makeRouter(fabric: Fabric, options: RoutingOptions): Router {
  const ctx = makeContext(fabric, options);
  const maxHops = maxHopsOf(ctx);
  ctx.scratch = new Int32Array(Math.max(16, maxHops));
  const maxSpread = maxSpreadOf(ctx);
  const r: Route = {
    src: -1,
    dst: -1,
    mode: Mode.none,
    count: 0,
    rankS: -1,
    rankT: -1,
    upCount: 0,
    from: -1,
    outMode: Out.ports,
    level: 0,
    outCount: 0,
  };
  const resolve = (src: number, dst: number): Route => {
    if (src !== r.src || dst !== r.dst) resolveRoute(ctx, r, src, dst);
    return r;
  };
  return {
    maxHops,
    maxSpread,
    pathCount: (src, dst) => resolve(src, dst).count,
    path: (src, dst, k, out) => writePath(ctx, resolve(src, dst), k, out),
    spread: (src, dst, outLinks, outWeights) => {
      openSink(ctx.sink, outLinks, outWeights);
      addSpread(ctx, resolve(src, dst));
      return closeSink(ctx.sink);
    },
  };
}

function resolveRoute(ctx: RouterContext, r: Route, src: number, dst: number): void {
  r.src = src;
  r.dst = dst;
  r.mode = Mode.none;
  r.count = 0;
  if (src === dst) {
    r.mode = Mode.self;
    r.count = 1;
    return;
  }
  if (!ctx.layout) {
    r.from = src;
    r.outMode = Out.search;
    r.outCount = searchPaths(ctx, src, dst, true);
    r.mode = Mode.scaleOut;
    r.count = r.outCount;
    return;
  }
  const rs = ctx.rankOf[src];
  const rd = ctx.rankOf[dst];
  const acc = ctx.fabric.accelerators;
  if (rs >= 0 && rd >= 0 && acc.domain[rs] === acc.domain[rd] && hasScaleUp(ctx, rs)) {
    r.upCount = scaleUpCount(ctx, rs, rd);
    if (r.upCount > 0) {
      r.rankS = rs;
      r.rankT = rd;
      r.mode = Mode.scaleUp;
      r.count = r.upCount;
      return;
    }
  }
  if (rs >= 0 && dst === domainSwitch(ctx, rs)) {
    r.rankS = rs;
    r.mode = Mode.toSwitch;
    r.count = live(ctx, switchLink(ctx, rs, true)) ? 1 : 0;
    return;
  }
  if (rd >= 0 && src === domainSwitch(ctx, rd)) {
    r.rankT = rd;
    r.mode = Mode.fromSwitch;
    r.count = live(ctx, switchLink(ctx, rd, false)) ? 1 : 0;
    return;
  }
  const tier = ctx.fabric.nodes.tier;
  if (tier[src] === SwitchTier.scaleUp || tier[dst] === SwitchTier.scaleUp) return;
  if (ctx.railAware && rs >= 0 && rd >= 0 && tryProxy(ctx, r, rs, rd)) return;
  resolveScaleOut(ctx, r, src, dst);
  r.mode = Mode.scaleOut;
  r.count = r.outCount;
  if (r.count === 0 && ctx.railAware && rs >= 0) tryAnyProxy(ctx, r, rs, dst);
}

function hasScaleUp(ctx: RouterContext, rank: number): boolean {
  const dom = ctx.layout!.domains;
  return dom.topology[ctx.fabric.accelerators.domain[rank]] !== ScaleUpTopologyCode.none;
}

/** PXN: via the accelerator of the source's server (and domain) that sits on the destination's rail. */
function tryProxy(ctx: RouterContext, r: Route, rs: number, rd: number): boolean {
  const acc = ctx.fabric.accelerators;
  if (acc.domain[rs] === acc.domain[rd] || acc.local[rs] === acc.local[rd]) return false;
  const proxy = rs - acc.local[rs] + acc.local[rd];
  if (proxy < 0 || proxy >= acc.count || acc.server[proxy] !== acc.server[rs]) return false;
  if (acc.domain[proxy] !== acc.domain[rs] || !hasScaleUp(ctx, rs)) return false;
  const up = scaleUpCount(ctx, rs, proxy);
  if (up === 0) return false;
  resolveScaleOut(ctx, r, acc.node[proxy], acc.node[rd]);
  if (r.outCount === 0) return false;
  r.rankS = rs;
  r.rankT = proxy;
  r.upCount = up;
  r.mode = Mode.proxy;
  r.count = up * r.outCount;
  return true;
}

/**
 * Rail-aware, when the source reaches the destination on none of its own rails (a memory server on other
 * rails of a rail-only fabric): via the first accelerator of the source's server and domain that does.
 */
function tryAnyProxy(ctx: RouterContext, r: Route, rs: number, dst: number): void {
  const acc = ctx.fabric.accelerators;
  if (!hasScaleUp(ctx, rs)) return;
  const first = rs - acc.local[rs];
  for (let p = first; p < acc.count && acc.server[p] === acc.server[rs]; p++) {
    if (p === rs || acc.domain[p] !== acc.domain[rs]) continue;
    const up = scaleUpCount(ctx, rs, p);
    if (up === 0) continue;
    resolveScaleOut(ctx, r, acc.node[p], dst);
    if (r.outCount === 0) continue;
    r.rankS = rs;
    r.rankT = p;
    r.upCount = up;
    r.mode = Mode.proxy;
    r.count = up * r.outCount;
    return;
  }
  r.from = acc.node[rs];
  r.outCount = 0;
}

function resolveScaleOut(ctx: RouterContext, r: Route, from: number, dst: number): void {
  r.from = from;
  const kind = ctx.fabric.nodes.kind;
  const endpoints = kind[from] < NodeKind.nic && kind[dst] < NodeKind.nic;
  if (!ctx.hasFailures && endpoints && hasPorts(ctx, from) && hasPorts(ctx, dst)) {
    const level = portLevel(ctx, from, dst);
    if (level !== SHARED_NIC) {
      r.outMode = Out.ports;
      r.level = level;
      r.outCount = portCount(ctx, from, dst, level);
      return;
    }
  }
  r.outMode = Out.search;
  r.outCount = searchPaths(ctx, from, dst, false);
}

function writeOut(ctx: RouterContext, r: Route, k: number, out: Int32Array, pos: number): number {
  if (r.outMode === Out.ports) return portPath(ctx, r.from, r.dst, r.level, k, out, pos);
  searchPaths(ctx, r.from, r.dst, !ctx.layout);
  return searchPath(ctx, k, out, pos);
}

function writePath(ctx: RouterContext, r: Route, k: number, out: Int32Array): number {
  if (r.count === 0) return 0;
  if (!(k >= 0 && k < r.count)) throw new RangeError(`path index ${k} out of range: ${r.count} path(s)`);
  switch (r.mode) {
    case Mode.scaleUp:
      return scaleUpPath(ctx, r.rankS, r.rankT, k, out, 0);
    case Mode.toSwitch:
      out[0] = switchLink(ctx, r.rankS, true);
      return 1;
    case Mode.fromSwitch:
      out[0] = switchLink(ctx, r.rankT, false);
      return 1;
    case Mode.proxy: {
      const pos = scaleUpPath(ctx, r.rankS, r.rankT, k % r.upCount, out, 0);
      return writeOut(ctx, r, Math.floor(k / r.upCount), out, pos);
    }
    case Mode.scaleOut:
      return writeOut(ctx, r, k, out, 0);
    default:
      return 0;
  }
}

function addSpread(ctx: RouterContext, r: Route): void {
  if (r.count === 0) return;
  switch (r.mode) {
    case Mode.scaleUp:
      scaleUpSpread(ctx, r.rankS, r.rankT, 1, ctx.sink);
      return;
    case Mode.toSwitch:
      addWeight(ctx.sink, switchLink(ctx, r.rankS, true), 1);
      return;
    case Mode.fromSwitch:
      addWeight(ctx.sink, switchLink(ctx, r.rankT, false), 1);
      return;
    case Mode.proxy:
      scaleUpSpread(ctx, r.rankS, r.rankT, 1, ctx.sink);
      addOutSpread(ctx, r);
      return;
    case Mode.scaleOut:
      addOutSpread(ctx, r);
      return;
  }
}

function addOutSpread(ctx: RouterContext, r: Route): void {
  if (r.outMode === Out.ports) {
    portSpread(ctx, r.from, r.dst, r.level, r.outCount, 1, ctx.sink);
    return;
  }
  searchPaths(ctx, r.from, r.dst, !ctx.layout);
  searchSpread(ctx, 1, ctx.sink);
}

/** Longest chain of up links (scale-out only when the fabric has a layout): paths climb then descend it. */
function longestUpChain(ctx: RouterContext): number {
  const n = ctx.fabric.nodes.count;
  const { tier, to, from } = ctx.links;
  const withScaleUp = !ctx.layout;
  const indeg = new Int32Array(n);
  for (let i = 0; i < ctx.upLinks.length; i++) {
    const l = ctx.upLinks[i];
    if (withScaleUp || tier[l] !== LinkTier.scaleUp) indeg[to[l]]++;
  }
  const depth = new Int32Array(n);
  const queue = new Int32Array(n);
  let len = 0;
  for (let v = 0; v < n; v++) if (indeg[v] === 0) queue[len++] = v;
  let most = 0;
  for (let qi = 0; qi < len; qi++) {
    const u = queue[qi];
    for (let i = ctx.upStart[u]; i < ctx.upStart[u + 1]; i++) {
      const l = ctx.upLinks[i];
      if (!withScaleUp && tier[l] === LinkTier.scaleUp) continue;
      const v = to[l];
      depth[v] = Math.max(depth[v], depth[from[l]] + 1);
      most = Math.max(most, depth[v]);
      if (--indeg[v] === 0) queue[len++] = v;
    }
  }
  return most;
}

function maxHopsOf(ctx: RouterContext): number {
  return scaleUpMaxHops(ctx) + 2 * longestUpChain(ctx);
}

/** An upper bound on the links one spread can touch (see docs/routing.md). */
function maxSpreadOf(ctx: RouterContext): number {
  const lay = ctx.layout;
  const links = ctx.links.count;
  if (!lay) return links;
  let ports = 1;
  for (let v = 0; v < ctx.fabric.nodes.count; v++)
    ports = Math.max(ports, lay.portStart[v + 1] - lay.portStart[v]);
  let leafUp = 0;
  let spineUp = 0;
  let spines = 0;
  for (const net of lay.networks) {
    leafUp = Math.max(leafUp, net.leafUp);
    spineUp = Math.max(spineUp, net.spineUp);
    spines += net.spineCount;
  }
  const side = 2 * ports + ports * leafUp + Math.min(ports * leafUp, spines) * spineUp;
  const dom = lay.domains;
  let domain = 2;
  for (let d = 0; d < dom.count; d++) domain = Math.max(domain, dom.firstRank[d + 1] - dom.firstRank[d]);
  return Math.min(links, 2 * side + domain);
}
