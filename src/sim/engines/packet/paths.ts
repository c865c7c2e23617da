/**
 * Path choice for packets. The router enumerates the equal-cost paths of a (src, dst) pair; a packet takes one
 * of them, copied into its route:
 * - ecmp: every packet of a flow takes the flow's hashed path (the same hash as the fluid engines, so both
 *   engines put a flow on the same links);
 * - spray: the path is a hash of (flow, entropy value), and the transport changes the entropy per packet;
 * - adaptive: as spray at the source, then each switch on the way up sends the packet to the least-loaded
 *   of the up-links that still reach the destination (those of the pair's paths through the link it came in
 *   on), as adaptive routing in a switch does.
 * Paths through links a detected failure took down are skipped (the next index is tried).
 *
 * Paths are memoized in a direct-mapped cache keyed by (src, dst, index): a hot pair costs one lookup.
 */
import { WeftError } from "../../../errors.js";
import { ecmpIndex } from "../../../routing/ecmp.js";
import { grownTo } from "../../../typed-arrays.js";
import { F_REVERSE } from "./packets.js";
import type { PacketSim } from "./state.js";

export interface PathCache {
  maxHops: number;
  mask: number;
  key: Float64Array;
  len: Uint8Array;
  links: Int32Array;
  /** Per flow: path counts forward (src → dst) and backward (dst → src), -1 until asked. */
  fwdCount: Int32Array;
  revCount: Int32Array;
}

/** Sized for every (flow, entropy value, direction) of the run, within 2^12 .. 2^20 entries. */
export function makePathCache(maxHops: number, flows: number, evCount: number): PathCache {
  let entries = 1 << 12;
  while (entries < 2 * flows * evCount && entries < 1 << 20) entries *= 2;
  const fwdCount = new Int32Array(flows).fill(-1);
  const revCount = new Int32Array(flows).fill(-1);
  return {
    maxHops,
    mask: entries - 1,
    key: new Float64Array(entries).fill(-1),
    len: new Uint8Array(entries),
    links: new Int32Array(entries * maxHops),
    fwdCount,
    revCount,
  };
}

/** Room for the path counts of `flows` flows (new ones unknown, -1). */
export function growPathCounts(c: PathCache, flows: number): void {
  const old = c.fwdCount.length;
  if (old >= flows) return;
  const n = Math.max(flows, 2 * old);
  c.fwdCount = grownTo(c.fwdCount, n).fill(-1, old);
  c.revCount = grownTo(c.revCount, n).fill(-1, old);
}

/** Empties the cache: the router changed, so a (src, dst, k) may name another path now. */
export function clearPathCache(c: PathCache): void {
  c.key.fill(-1);
  c.fwdCount.fill(-1);
  c.revCount.fill(-1);
}

/** Cache slot holding path k of (src, dst); valid until the next lookup. */
export function pathSlot(sim: PacketSim, src: number, dst: number, k: number): number {
  const c = sim.paths;
  const key = (src * sim.fabric.nodes.count + dst) * 65536 + k;
  const slot = hashKey(key) & c.mask;
  if (c.key[slot] !== key) {
    const n = sim.router.path(src, dst, k, sim.scratch);
    if (n > c.maxHops) {
      throw new WeftError(
        `packet engine: a path has ${n} links, more than the router's maxHops ${c.maxHops}`,
      );
    }
    const scratch = sim.scratch;
    const base = slot * c.maxHops;
    for (let i = 0; i < n; i++) c.links[base + i] = scratch[i];
    c.len[slot] = n;
    c.key[slot] = key;
  }
  return slot;
}

function hashKey(key: number): number {
  const lo = key | 0;
  const hi = (key / 4294967296) | 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

function hash3(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x6a09e667, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ b, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ c, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function flowPathCount(sim: PacketSim, f: number, reverse: boolean): number {
  const c = sim.paths;
  const arr = reverse ? c.revCount : c.fwdCount;
  let n = arr[f];
  if (n < 0) {
    const a = sim.flows.src[f];
    const b = sim.flows.dst[f];
    n = reverse ? sim.router.pathCount(b, a) : sim.router.pathCount(a, b);
    arr[f] = n;
  }
  return n;
}

function pathIsLive(sim: PacketSim, slot: number): boolean {
  const c = sim.paths;
  const avoid = sim.links.avoid;
  const base = slot * c.maxHops;
  for (let i = 0, n = c.len[slot]; i < n; i++) if (avoid[c.links[base + i]] !== 0) return false;
  return true;
}

/**
 * Writes the route of packet `p` of flow `f` (forward for data, reverse for control) for entropy `ev`;
 * returns false when every path crosses an avoided link.
 */
export function routePacket(sim: PacketSim, p: number, f: number, ev: number, reverse: boolean): boolean {
  const flows = sim.flows;
  const a = reverse ? flows.dst[f] : flows.src[f];
  const b = reverse ? flows.src[f] : flows.dst[f];
  const count = flowPathCount(sim, f, reverse);
  if (count <= 0) return false;
  let k: number;
  const key = sim.flows.key[f];
  if (sim.p.loadBalancing === "ecmp") k = ecmpIndex(a, b, key, sim.p.seed, count);
  else k = hash3(key, ev, sim.p.seed + (reverse ? 0x5bd1e995 : 0)) % count;
  for (let tries = 0; tries < count; tries++) {
    const slot = pathSlot(sim, a, b, k);
    if (pathIsLive(sim, slot)) {
      copyRoute(sim, p, slot, 0);
      sim.pool.path[p] = k;
      sim.pool.hops[p] = sim.paths.len[slot];
      sim.pool.hop[p] = 0;
      return true;
    }
    k = k + 1 === count ? 0 : k + 1;
  }
  return false;
}

function copyRoute(sim: PacketSim, p: number, slot: number, fromHop: number): void {
  const c = sim.paths;
  const H = c.maxHops;
  const route = sim.pool.route;
  const src = slot * H;
  const dst = p * H;
  for (let i = fromHop, n = c.len[slot]; i < n; i++) route[dst + i] = c.links[src + i];
}

/**
 * Adaptive routing at a switch: packet `p` is at hop `h` (about to take route[h], an up-link). Among the
 * pair's live paths that share the link the packet arrived on, picks the one whose link h has the fewest
 * queued bytes (ties: the current path) and rewrites the rest of the route. Returns the link to take.
 */
export function adaptiveNextLink(sim: PacketSim, p: number, h: number): number {
  const pool = sim.pool;
  const H = sim.paths.maxHops;
  const f = pool.flow[p];
  const reverse = (pool.flags[p] & F_REVERSE) !== 0;
  const flows = sim.flows;
  const a = reverse ? flows.dst[f] : flows.src[f];
  const b = reverse ? flows.src[f] : flows.dst[f];
  const count = flowPathCount(sim, f, reverse);
  const arrived = h > 0 ? pool.route[p * H + h - 1] : -1;
  const current = pool.route[p * H + h];
  const links = sim.links;
  let best = current;
  let bestLoad = links.loBytes[current] + links.hiBytes[current] + (links.serving[current] >= 0 ? 1 : 0);
  let bestK = -1;
  const c = sim.paths;
  for (let k = 0; k < count; k++) {
    const slot = pathSlot(sim, a, b, k);
    if (c.len[slot] <= h) continue;
    const base = slot * H;
    if (arrived >= 0 && c.links[base + h - 1] !== arrived) continue;
    const l = c.links[base + h];
    if (l === best) continue;
    const load = links.loBytes[l] + links.hiBytes[l] + (links.serving[l] >= 0 ? 1 : 0);
    if (load < bestLoad && pathIsLive(sim, slot)) {
      best = l;
      bestLoad = load;
      bestK = k;
    }
  }
  if (bestK >= 0) {
    copyRoute(sim, p, pathSlot(sim, a, b, bestK), h);
    pool.path[p] = bestK;
  }
  return best;
}
