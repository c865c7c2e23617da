/**
 * Parallel links that no flow tells apart, merged into one bundle of their summed capacity.
 *
 * Two links belong to one bundle when every flow crosses them with the same weight per unit of capacity
 * (w / capacity): their loads are then the same fraction of their capacities under any rates, so they
 * saturate together, carry the same flows and bound them at the same rate; a flow's weight on the bundle is
 * the sum of its weights on the members. Max-min fair rates (and the window caps, contention and sharing
 * by path, which read the same sums) are the same on the bundles as on the links, to rounding. Spraying
 * makes such bundles everywhere: on a fat-tree a sprayed flow crosses every up-link of its leaf and every
 * down-link into the destination's pod with equal weights, and so does every other flow crossing them, so
 * a flow's hundreds of incidences become a handful and a refill costs that much less. Where a link is
 * degraded, or a route avoids a failed one, its flows' weights per capacity differ and it stays apart.
 */
import type { FlowRoutes } from "../routes.js";

/** The links the flow engine runs on: a bundle per set of links no flow tells apart. */
export interface LinkBundles {
  count: number;
  /** Summed capacity of the members, bytes/s. */
  capacity: Float64Array;
  /** The node every member leaves from, or −1 when they leave from different nodes. */
  from: Int32Array;
  /** The flows' routes over the bundles (latency, seconds per byte and rate alone as over the links). */
  routes: FlowRoutes;
}

/**
 * The bundles of the links the routes use, or undefined when no two links merge: the engine then runs on
 * the links themselves. Routes that do not spread (ECMP: every weight 1) are not looked at: their bundles
 * are few (a host's only flow and its leaf's uplink) and save less than finding them costs.
 */
export function mergeParallelLinks(
  routes: FlowRoutes,
  capacity: Float64Array,
  from: Int32Array,
  src: Int32Array,
): LinkBundles | undefined {
  if (!spreads(routes)) return undefined;
  const L = capacity.length;
  const own = { from, src };
  const { count, hashA, hashB } = signatures(routes, capacity, own);
  // Links of one key (flow count and both hashes) form a bundle: an open-addressing table of each key's
  // first link. bundleRoutes checks that the members do carry the same flows.
  let used = 0;
  for (let l = 0; l < L; l++) if (count[l] > 0) used++;
  const mask = (1 << Math.ceil(Math.log2(2 * used + 2))) - 1;
  const first = new Int32Array(mask + 1).fill(-1);
  const bundleOf = new Int32Array(L).fill(-1);
  let bundles = 0;
  for (let l = 0; l < L; l++) {
    if (count[l] === 0) continue;
    let slot = (hashA[l] ^ Math.imul(hashB[l], 0x9e3779b1) ^ count[l]) & mask;
    while (first[slot] >= 0 && !sameKey(first[slot], l, count, hashA, hashB)) slot = (slot + 1) & mask;
    if (first[slot] < 0) {
      first[slot] = l;
      bundleOf[l] = bundles++;
    } else bundleOf[l] = bundleOf[first[slot]];
  }
  if (bundles === used) return undefined;
  return bundleRoutes(routes, capacity, own, bundleOf, bundles);
}

/** Whether some flow spreads over several paths (a weight under 1). */
function spreads(routes: FlowRoutes): boolean {
  for (let e = 0; e < routes.weight.length; e++) if (routes.weight[e] !== 1) return true;
  return false;
}

/**
 * What tells a flow's incidence on a link apart besides its weight per capacity: the flow, and whether the
 * link leaves the flow's own sender (sharing by path does not count those: window.ts shareByPath), so a
 * bundle's members either all leave a flow's sender or none does.
 */
interface Own {
  from: Int32Array;
  src: Int32Array;
}

function incidenceKey(own: Own, f: number, l: number): number {
  return 2 * f + (own.from[l] === own.src[f] ? 1 : 0);
}

/** Per link: how many flows cross it, and two hashes of its (incidence key, weight / capacity) list in flow order. */
function signatures(routes: FlowRoutes, capacity: Float64Array, own: Own) {
  const L = capacity.length;
  const count = new Int32Array(L);
  const hashA = new Int32Array(L);
  const hashB = new Int32Array(L);
  const bits = new Float64Array(1);
  const words = new Int32Array(bits.buffer);
  for (let f = 0; f < routes.count; f++) {
    for (let e = routes.start[f]; e < routes.start[f + 1]; e++) {
      const l = routes.link[e];
      bits[0] = routes.weight[e] / capacity[l];
      const key = incidenceKey(own, f, l);
      count[l]++;
      hashA[l] = mix(mix(mix(hashA[l], key), words[0]), words[1]);
      hashB[l] = mix(mix(mix(hashB[l] ^ 0x5bd1e995, words[1]), key), words[0]);
    }
  }
  return { count, hashA, hashB };
}

/** One step of a multiplicative hash (MurmurHash3's 32-bit constants). */
function mix(h: number, x: number): number {
  let k = Math.imul(x, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function sameKey(a: number, b: number, count: Int32Array, hashA: Int32Array, hashB: Int32Array): boolean {
  return count[a] === count[b] && hashA[a] === hashA[b] && hashB[a] === hashB[b];
}

/**
 * Routes over the bundles: a flow's weights on a bundle's members summed into one incidence. Checks what
 * the hashes promised — every flow crosses all members of a bundle, each with the same weight per capacity
 * and the same sender relation — so two links of a bundle have the same flows; undefined if not (a hash
 * collision: the engine then runs on the links).
 */
function bundleRoutes(
  routes: FlowRoutes,
  capacity: Float64Array,
  own: Own,
  bundleOf: Int32Array,
  bundles: number,
): LinkBundles | undefined {
  const bundleCapacity = new Float64Array(bundles);
  const members = new Int32Array(bundles);
  const bundleFrom = new Int32Array(bundles).fill(-2);
  for (let l = 0; l < capacity.length; l++) {
    const c = bundleOf[l];
    if (c < 0) continue;
    members[c]++;
    bundleCapacity[c] += capacity[l];
    bundleFrom[c] = bundleFrom[c] === -2 || bundleFrom[c] === own.from[l] ? own.from[l] : -1;
  }
  const start = new Int32Array(routes.count + 1);
  const link = new Int32Array(routes.link.length);
  const weight = new Float64Array(routes.link.length);
  const seenBy = new Int32Array(bundles).fill(-1);
  const at = new Int32Array(bundles);
  const seen = new Int32Array(bundles);
  const ratio = new Float64Array(bundles);
  const key = new Int32Array(bundles);
  let out = 0;
  for (let f = 0; f < routes.count; f++) {
    for (let e = routes.start[f]; e < routes.start[f + 1]; e++) {
      const l = routes.link[e];
      const c = bundleOf[l];
      const r = routes.weight[e] / capacity[l];
      const k = incidenceKey(own, f, l);
      if (seenBy[c] === f) {
        if (r !== ratio[c] || k !== key[c]) return undefined;
        seen[c]++;
        weight[at[c]] += routes.weight[e];
        continue;
      }
      seenBy[c] = f;
      seen[c] = 1;
      ratio[c] = r;
      key[c] = k;
      at[c] = out;
      link[out] = c;
      weight[out] = routes.weight[e];
      out++;
    }
    for (let i = start[f]; i < out; i++) if (seen[link[i]] !== members[link[i]]) return undefined;
    start[f + 1] = out;
  }
  return {
    count: bundles,
    capacity: bundleCapacity,
    from: bundleFrom,
    routes: { ...routes, start, link: link.slice(0, out), weight: weight.slice(0, out) },
  };
}
