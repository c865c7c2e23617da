/**
 * Placement policies: given the free accelerators, choose `gpus` ranks for a job (in the job's rank order:
 * consecutive blocks of `tp` are its tensor-parallel groups), or null when it must wait. Every policy
 * places a job exactly when enough allowed accelerators are free, so they differ in where, not whether.
 * - `first-fit`: the lowest free ranks;
 * - `random`: free ranks drawn at random (a seeded generator);
 * - `topology`: TP groups inside one scale-up domain, and the groups under as few leaves, then pods, as
 *   possible: the fullest leaf that still holds the job (best fit, keeping empty leaves whole), else the
 *   fullest pod, else the leaves with the most free groups (or the run of neighbouring domains that reaches
 *   fewer leaves, where servers straddle two); inside a leaf, partly used domains first.
 *   When no such placement exists it falls back to first-fit order.
 * A new policy is a function of this type added to POLICIES.
 */
import { MANAGER_POLICIES, type ManagerPolicy } from "../../scenario/manager.js";
import type { ClusterView } from "./cluster-view.js";
import { allowedServers, type PlacementState } from "./state.js";

export interface PlacementRequest {
  gpus: number;
  tp: number;
  tenant: number;
}

export type Policy = (state: PlacementState, req: PlacementRequest, rng: () => number) => Int32Array | null;

// Keyed by the scenario's policy names, so a `manager.policies` entry always has a policy here.
export const POLICIES: Record<ManagerPolicy, Policy> = {
  topology: topologyPolicy,
  "first-fit": firstFit,
  random: randomPolicy,
};
export const POLICY_NAMES: readonly string[] = MANAGER_POLICIES;

function eligible(state: PlacementState, allowed: Uint8Array | undefined, r: number): boolean {
  return state.free[r] === 1 && (!allowed || allowed[state.view.server[r]] === 1);
}

export function firstFit(state: PlacementState, req: PlacementRequest): Int32Array | null {
  if (state.freeCount < req.gpus) return null;
  const allowed = allowedServers(state, req.tenant);
  const out = new Int32Array(req.gpus);
  let k = 0;
  for (let r = 0; r < state.view.accelerators && k < req.gpus; r++)
    if (eligible(state, allowed, r)) out[k++] = r;
  return k === req.gpus ? out : null;
}

export function randomPolicy(
  state: PlacementState,
  req: PlacementRequest,
  rng: () => number,
): Int32Array | null {
  if (state.freeCount < req.gpus) return null;
  const allowed = allowedServers(state, req.tenant);
  const pool: number[] = [];
  for (let r = 0; r < state.view.accelerators; r++) if (eligible(state, allowed, r)) pool.push(r);
  if (pool.length < req.gpus) return null;
  for (let i = 0; i < req.gpus; i++) {
    const j = i + Math.floor(rng() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return Int32Array.from(pool.slice(0, req.gpus));
}

interface DomainInfo {
  /** First rank of each domain (ranks of a domain are consecutive). */
  first: Int32Array;
  size: Int32Array;
  /** The leaf of the domain's first rank (where its blocks are counted). */
  leafIndex: Int32Array;
  /** The lowest and highest leaf any of its ranks reaches: a server can straddle two leaves. */
  leafLo: Int32Array;
  leafHi: Int32Array;
  podIndex: Int32Array;
  leaves: number;
  pods: number;
}

const domainCache = new WeakMap<ClusterView, DomainInfo>();

function domainInfo(view: ClusterView): DomainInfo {
  let info = domainCache.get(view);
  if (info) return info;
  const D = view.domains;
  const first = new Int32Array(D).fill(-1);
  const size = new Int32Array(D);
  const leafIndex = new Int32Array(D);
  const leafLo = new Int32Array(D).fill(2 ** 30);
  const leafHi = new Int32Array(D).fill(-1);
  const podIndex = new Int32Array(D);
  const leafIds = new Map<number, number>();
  const podIds = new Map<number, number>();
  for (let r = 0; r < view.accelerators; r++) {
    const d = view.domain[r];
    size[d]++;
    if (!leafIds.has(view.leaf[r])) leafIds.set(view.leaf[r], leafIds.size);
    const l = leafIds.get(view.leaf[r]) ?? 0;
    leafLo[d] = Math.min(leafLo[d], l);
    leafHi[d] = Math.max(leafHi[d], l);
    if (first[d] >= 0) continue;
    first[d] = r;
    if (!podIds.has(view.pod[r])) podIds.set(view.pod[r], podIds.size);
    leafIndex[d] = l;
    podIndex[d] = podIds.get(view.pod[r]) ?? 0;
  }
  info = { first, size, leafIndex, leafLo, leafHi, podIndex, leaves: leafIds.size, pods: podIds.size };
  domainCache.set(view, info);
  return info;
}

export function topologyPolicy(state: PlacementState, req: PlacementRequest): Int32Array | null {
  if (state.freeCount < req.gpus) return null;
  const { view } = state;
  const info = domainInfo(view);
  const allowed = allowedServers(state, req.tenant);
  const tp = req.tp;
  const need = Math.ceil(req.gpus / tp);
  // Free TP-sized blocks per domain (allowed ranks only), per leaf and per pod.
  const blocks = new Int32Array(view.domains);
  const perLeaf = new Int32Array(info.leaves);
  const perPod = new Int32Array(info.pods);
  for (let d = 0; d < view.domains; d++) {
    let free = 0;
    if (!allowed) free = state.freeInDomain[d];
    else
      for (let r = info.first[d]; r < info.first[d] + info.size[d]; r++)
        if (eligible(state, allowed, r)) free++;
    blocks[d] = tp <= info.size[d] ? Math.floor(free / tp) : 0;
    perLeaf[info.leafIndex[d]] += blocks[d];
    perPod[info.podIndex[d]] += blocks[d];
  }
  const chosen = chooseDomains(info, blocks, perLeaf, perPod, need);
  if (!chosen) return firstFit(state, req);
  const out = new Int32Array(req.gpus);
  let k = 0;
  for (const d of chosen) {
    let want = Math.min(blocks[d], need - k / tp) * tp;
    for (let r = info.first[d]; r < info.first[d] + info.size[d] && want > 0 && k < req.gpus; r++) {
      if (!eligible(state, allowed, r)) continue;
      out[k++] = r;
      want--;
    }
    if (k >= req.gpus) break;
  }
  return k === req.gpus ? out : firstFit(state, req);
}

/** Domains to take blocks from: best-fit leaf, else best-fit pod, else the fullest leaves. */
function chooseDomains(
  info: DomainInfo,
  blocks: Int32Array,
  perLeaf: Int32Array,
  perPod: Int32Array,
  need: number,
): number[] | null {
  const bestFit = (counts: Int32Array) => {
    let best = -1;
    for (let i = 0; i < counts.length; i++)
      if (counts[i] >= need && (best < 0 || counts[i] < counts[best])) best = i;
    return best;
  };
  const domainsWhere = (pick: (d: number) => boolean) => {
    const ds: number[] = [];
    for (let d = 0; d < blocks.length; d++) if (blocks[d] > 0 && pick(d)) ds.push(d);
    // Partly used domains first (fewest free blocks), so whole domains stay whole.
    return ds.sort((a, b) => blocks[a] - blocks[b] || a - b);
  };
  const leaf = bestFit(perLeaf);
  if (leaf >= 0) return domainsWhere((d) => info.leafIndex[d] === leaf);
  const pod = bestFit(perPod);
  const order = (ds: number[]) =>
    ds.sort(
      (a, b) =>
        perLeaf[info.leafIndex[b]] - perLeaf[info.leafIndex[a]] ||
        info.leafIndex[a] - info.leafIndex[b] ||
        blocks[a] - blocks[b] ||
        a - b,
    );
  if (pod >= 0) return fewestLeaves(info, blocks, order(domainsWhere((d) => info.podIndex[d] === pod)), need);
  let total = 0;
  for (const c of perLeaf) total += c;
  if (total < need) return null;
  return fewestLeaves(info, blocks, order(domainsWhere(() => true)), need);
}

/**
 * Of two ways to gather `need` blocks over several leaves — the fullest leaves first (`fullest`, fewest
 * leaves when every server sits under one leaf), or the run of neighbouring domains that touches the fewest
 * leaves (servers whose NICs straddle two leaves count both) — the one whose ranks reach fewer leaves.
 */
function fewestLeaves(info: DomainInfo, blocks: Int32Array, fullest: number[], need: number): number[] {
  const greedy = taken(fullest, blocks, need);
  const run = nearestRun(info, blocks, fullest, need);
  return run && leavesReached(info, run) < leavesReached(info, greedy) ? run : fullest;
}

/** The first domains of `ds` that hold `need` blocks. */
function taken(ds: number[], blocks: Int32Array, need: number): number[] {
  const out: number[] = [];
  let got = 0;
  for (const d of ds) {
    if (got >= need) break;
    out.push(d);
    got += blocks[d];
  }
  return out;
}

function leavesReached(info: DomainInfo, ds: number[]): number {
  const seen = new Set<number>();
  for (const d of ds) for (let l = info.leafLo[d]; l <= info.leafHi[d]; l++) seen.add(l);
  return seen.size;
}

/** Consecutive domains (by rank) holding `need` blocks that reach the fewest leaves; ties: fewest blocks over. */
function nearestRun(info: DomainInfo, blocks: Int32Array, ds: number[], need: number): number[] | null {
  const sorted = [...ds].sort((a, b) => info.first[a] - info.first[b]);
  let best: number[] | null = null;
  let bestLeaves = Number.POSITIVE_INFINITY;
  let bestOver = Number.POSITIVE_INFINITY;
  let got = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && got < need) got += blocks[sorted[end++]];
    if (got < need) break;
    // Leaves reached by the run: its domains' leaves span one interval (servers are numbered by leaf).
    const lo = info.leafLo[sorted[start]];
    const hi = info.leafHi[sorted[end - 1]];
    const leaves = hi - lo + 1;
    if (leaves < bestLeaves || (leaves === bestLeaves && got - need < bestOver)) {
      best = sorted.slice(start, end);
      bestLeaves = leaves;
      bestOver = got - need;
    }
    got -= blocks[sorted[start]];
  }
  return best;
}
