/**
 * KV-cache and offload transfers on the fabric, simulated incrementally inside the serving simulation.
 *
 * The flow engine (src/sim/engines/flow) evaluates a FlowSet whose start times are known in advance; a
 * KV transfer's start depends on when earlier transfers finished (decode memory frees, a decode instance
 * is chosen by load), so the serving simulation cannot hand it a complete FlowSet. This is the same fluid
 * model run incrementally: every active flow follows its route (one ECMP path chosen by the engine's hash,
 * or spread over all equal-cost paths for spraying and adaptive routing, as src/sim/engines/routes.ts
 * does), rates are max-min fair by progressive filling (Bertsekas & Gallager §6.5.2) and recomputed at
 * every arrival, completion or cap change, and a flow's data lands one route latency after its last byte
 * leaves. test/inference/transfers.test.ts checks it against the flow engine on the same flows.
 *
 * A flow may carry a rate cap: a layer-by-layer KV stream cannot send faster than prefill produces it.
 * With `share: false` (analytical fidelity) every flow runs alone at its route's bottleneck.
 */
import { WeftError } from "../../errors.js";
import { ecmpIndex } from "../../routing/ecmp.js";
import type { Router } from "../../routing/types.js";
import type { LoadBalancing } from "../../scenario/types.js";
import type { Fabric } from "../../topology/fabric.js";
import { grownTo } from "../../typed-arrays.js";

/** Completions closer than this (relative) to the earliest one are simultaneous. */
const TIME_TOLERANCE = 1e-12;

export interface TransferNet {
  fabric: Fabric;
  router: Router;
  ecmp: boolean;
  seed: number;
  share: boolean;
  /** Link slots per flow. */
  stride: number;
  links: Int32Array;
  weights: Float64Array;
  hops: Int32Array;
  remaining: Float64Array;
  rate: Float64Array;
  rateCap: Float64Array;
  since: Float64Array;
  latency: Float64Array;
  owner: Int32Array;
  frozen: Uint8Array;
  /** Active flow slots, dense. */
  active: Int32Array;
  activeCount: number;
  free: Int32Array;
  freeCount: number;
  /** Flows routed so far (the ECMP hash's flow index). */
  routed: number;
  /** Rates need recomputing. */
  dirty: boolean;
  /** Earliest predicted end of a flow's transfer (before latency), +Infinity when idle. */
  nextTime: number;
  /** Bytes × links carried, by link tier (host, scaleUp, leaf, spine, core). */
  tierBytes: Float64Array;
  // per-link scratch for progressive filling
  linkRem: Float64Array;
  linkW: Float64Array;
  linkN: Int32Array;
  linkMark: Int32Array;
  linkBottleneck: Int32Array;
  touched: Int32Array;
  epoch: number;
  scratchLinks: Int32Array;
  scratchWeights: Float64Array;
}

export interface TransferNetOptions {
  loadBalancing: LoadBalancing;
  seed: number;
  /** Max-min sharing between flows (flow fidelity); false = each flow alone at its bottleneck. */
  share: boolean;
}

export function makeTransferNet(fabric: Fabric, router: Router, options: TransferNetOptions): TransferNet {
  const ecmp = options.loadBalancing === "ecmp";
  const stride = Math.max(1, ecmp ? router.maxHops : router.maxSpread);
  const cap = 64;
  const nLinks = fabric.links.count;
  return {
    fabric,
    router,
    ecmp,
    seed: options.seed,
    share: options.share,
    stride,
    links: new Int32Array(cap * stride),
    weights: new Float64Array(cap * stride),
    hops: new Int32Array(cap),
    remaining: new Float64Array(cap),
    rate: new Float64Array(cap),
    rateCap: new Float64Array(cap),
    since: new Float64Array(cap),
    latency: new Float64Array(cap),
    owner: new Int32Array(cap),
    frozen: new Uint8Array(cap),
    active: new Int32Array(cap),
    activeCount: 0,
    free: Int32Array.from({ length: cap }, (_, i) => cap - 1 - i),
    freeCount: cap,
    routed: 0,
    dirty: false,
    nextTime: Number.POSITIVE_INFINITY,
    tierBytes: new Float64Array(5),
    linkRem: new Float64Array(nLinks),
    linkW: new Float64Array(nLinks),
    linkN: new Int32Array(nLinks),
    linkMark: new Int32Array(nLinks),
    linkBottleneck: new Int32Array(nLinks),
    touched: new Int32Array(nLinks),
    epoch: 0,
    scratchLinks: new Int32Array(stride),
    scratchWeights: new Float64Array(stride),
  };
}

/**
 * Starts a flow of `bytes` from fabric node src to dst at time t (the net must have been settled up to t).
 * `owner` comes back from `popCompleted`; rateCap in bytes/s (+Infinity for none). Returns the flow's slot.
 */
export function addFlow(
  net: TransferNet,
  t: number,
  src: number,
  dst: number,
  bytes: number,
  rateCap: number,
  owner: number,
): number {
  if (net.freeCount === 0) grow(net);
  const f = net.free[--net.freeCount];
  const n = routeInto(net, src, dst, f);
  const base = f * net.stride;
  const lat = net.fabric.links.latency;
  const tier = net.fabric.links.tier;
  let latency = 0;
  for (let i = 0; i < n; i++) {
    const l = net.links[base + i];
    const w = net.weights[base + i];
    latency += w * lat[l];
    net.tierBytes[tier[l]] += bytes * w;
  }
  net.hops[f] = n;
  net.remaining[f] = bytes;
  net.rate[f] = 0;
  net.rateCap[f] = rateCap;
  net.since[f] = t;
  net.latency[f] = latency;
  net.owner[f] = owner;
  net.active[net.activeCount++] = f;
  net.dirty = true;
  net.nextTime = Math.min(net.nextTime, t); // until settled, nothing is predicted past now
  return f;
}

/** Changes the rate cap of every active flow of `owner` (e.g. lifts a stream's cap when prefill ends). */
export function setOwnerCap(net: TransferNet, owner: number, rateCap: number): void {
  for (let i = 0; i < net.activeCount; i++) {
    const f = net.active[i];
    if (net.owner[f] === owner && net.rateCap[f] !== rateCap) {
      net.rateCap[f] = rateCap;
      net.dirty = true;
    }
  }
}

/** Brings remaining bytes up to t and recomputes rates if anything changed; updates nextTime. */
export function settle(net: TransferNet, t: number): void {
  if (!net.dirty) return;
  net.dirty = false;
  for (let i = 0; i < net.activeCount; i++) {
    const f = net.active[i];
    advanceFlow(net, f, t);
  }
  if (net.share) progressiveFill(net);
  else aloneRates(net);
  let next = Number.POSITIVE_INFINITY;
  for (let i = 0; i < net.activeCount; i++) {
    const f = net.active[i];
    const end = finishOf(net, f);
    if (end < next) next = end;
  }
  net.nextTime = next;
}

/**
 * Removes the flows whose transfer has ended by time t (within the tolerance): writes each one's owner and
 * the time its data lands (t + route latency) into the out arrays; returns how many.
 */
export function popCompleted(net: TransferNet, t: number, owners: Int32Array, lands: Float64Array): number {
  const limit = t + t * TIME_TOLERANCE + 1e-15;
  let n = 0;
  for (let i = 0; i < net.activeCount; ) {
    const f = net.active[i];
    if (finishOf(net, f) <= limit) {
      owners[n] = net.owner[f];
      lands[n] = t + net.latency[f];
      n++;
      net.active[i] = net.active[--net.activeCount];
      net.free[net.freeCount++] = f;
      net.dirty = true;
      if (n === owners.length) break;
    } else i++;
  }
  if (n > 0) net.nextTime = t; // settle() recomputes it
  return n;
}

function finishOf(net: TransferNet, f: number): number {
  const r = net.rate[f];
  if (net.remaining[f] <= 0) return net.since[f];
  return r > 0 ? net.since[f] + net.remaining[f] / r : Number.POSITIVE_INFINITY;
}

function advanceFlow(net: TransferNet, f: number, t: number): void {
  const dt = t - net.since[f];
  if (dt > 0 && net.rate[f] > 0) {
    const left = net.remaining[f] - net.rate[f] * dt;
    net.remaining[f] = Math.max(left, 0);
  }
  net.since[f] = t;
}

function routeInto(net: TransferNet, src: number, dst: number, f: number): number {
  const base = f * net.stride;
  if (src === dst) return 0;
  const { router } = net;
  const paths = router.pathCount(src, dst);
  if (paths <= 0) {
    const names = net.fabric.nodes.names;
    throw new WeftError(
      `KV transfer: no route from ${names[src]} to ${names[dst]} (failed links or disconnected fabric)`,
    );
  }
  let n: number;
  if (net.ecmp) {
    n = router.path(src, dst, ecmpIndex(src, dst, net.routed++, net.seed, paths), net.scratchLinks);
    net.scratchWeights.fill(1, 0, n);
  } else {
    n = router.spread(src, dst, net.scratchLinks, net.scratchWeights);
  }
  for (let i = 0; i < n; i++) {
    net.links[base + i] = net.scratchLinks[i];
    net.weights[base + i] = net.scratchWeights[i];
  }
  return n;
}

/** Each flow alone: the lesser of its cap and its route's bottleneck (min bandwidth / weight). */
function aloneRates(net: TransferNet): void {
  const bw = net.fabric.links.bandwidth;
  for (let i = 0; i < net.activeCount; i++) {
    const f = net.active[i];
    let r = net.rateCap[f];
    const base = f * net.stride;
    for (let e = 0; e < net.hops[f]; e++) {
      const x = bw[net.links[base + e]] / net.weights[base + e];
      if (x < r) r = x;
    }
    net.rate[f] = r;
  }
}

/**
 * Weighted max-min fair rates with per-flow caps: raise every unfrozen flow together; a link saturates at
 * (capacity − frozen load) / (Σ weights of its unfrozen flows); freeze the flows of the links that saturate
 * first, or the flows that reach their cap, at that level; repeat.
 */
function progressiveFill(net: TransferNet): void {
  const bw = net.fabric.links.bandwidth;
  const { links, weights, hops, active, linkRem, linkW, linkN, linkMark, linkBottleneck, touched, frozen } =
    net;
  const stamp = ++net.epoch;
  let tc = 0;
  let left = net.activeCount;
  for (let i = 0; i < net.activeCount; i++) {
    const f = active[i];
    frozen[f] = 0;
    net.rate[f] = 0;
    if (hops[f] === 0) {
      // source = destination: nothing crosses the fabric
      frozen[f] = 1;
      net.rate[f] = net.rateCap[f];
      left--;
      continue;
    }
    const base = f * net.stride;
    for (let e = 0; e < hops[f]; e++) {
      const l = links[base + e];
      if (linkMark[l] !== stamp) {
        linkMark[l] = stamp;
        linkRem[l] = bw[l];
        linkW[l] = 0;
        linkN[l] = 0;
        touched[tc++] = l;
      }
      linkW[l] += weights[base + e];
      linkN[l]++;
    }
  }
  while (left > 0) {
    let level = Number.POSITIVE_INFINITY;
    for (let j = 0; j < tc; j++) {
      const l = touched[j];
      if (linkN[l] > 0) {
        const lv = linkRem[l] / linkW[l];
        if (lv < level) level = lv;
      }
    }
    for (let i = 0; i < net.activeCount; i++) {
      const f = active[i];
      if (!frozen[f] && net.rateCap[f] < level) level = net.rateCap[f];
    }
    if (level < 0) level = 0;
    const limit = level + level * TIME_TOLERANCE;
    const iter = ++net.epoch;
    for (let j = 0; j < tc; j++) {
      const l = touched[j];
      if (linkN[l] > 0 && linkRem[l] / linkW[l] <= limit) linkBottleneck[l] = iter;
    }
    for (let i = 0; i < net.activeCount; i++) {
      const f = active[i];
      if (frozen[f]) continue;
      const base = f * net.stride;
      let freeze = net.rateCap[f] <= limit;
      for (let e = 0; e < hops[f] && !freeze; e++) freeze = linkBottleneck[links[base + e]] === iter;
      if (!freeze) continue;
      frozen[f] = 1;
      left--;
      net.rate[f] = level;
      for (let e = 0; e < hops[f]; e++) {
        const l = links[base + e];
        linkRem[l] -= weights[base + e] * level;
        linkW[l] -= weights[base + e];
        linkN[l]--;
      }
    }
  }
}

function grow(net: TransferNet): void {
  const old = net.hops.length;
  const cap = old * 2;
  const s = net.stride;
  net.links = grownTo(net.links, cap * s);
  net.weights = grownTo(net.weights, cap * s);
  net.hops = grownTo(net.hops, cap);
  net.remaining = grownTo(net.remaining, cap);
  net.rate = grownTo(net.rate, cap);
  net.rateCap = grownTo(net.rateCap, cap);
  net.since = grownTo(net.since, cap);
  net.latency = grownTo(net.latency, cap);
  net.owner = grownTo(net.owner, cap);
  net.frozen = grownTo(net.frozen, cap);
  net.active = grownTo(net.active, cap);
  const free = new Int32Array(cap);
  free.set(net.free.subarray(0, net.freeCount));
  for (let i = cap - 1; i >= old; i--) free[net.freeCount++] = i;
  net.free = free;
}
