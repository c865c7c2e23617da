/**
 * Routing of flows for the fluid engines: which links each flow uses and with what weight (the share of its
 * bytes crossing that link). ECMP puts a flow on one path (weight 1 per link); spraying and adaptive routing
 * spread it over all equal-cost paths as `router.spread` weights.
 *
 * A flow's latency is Σ weight × link latency: the path's latency for one path, the mean over the paths
 * for a spread flow; likewise its seconds per byte, Σ weight / bandwidth (what the wire model needs of a
 * route, wire.ts). Its bottleneck is min over its links of bandwidth / weight: the rate it reaches alone.
 */
import { WeftError } from "../../errors.js";
import { ecmpIndex } from "../../routing/ecmp.js";
import type { Router } from "../../routing/types.js";
import type { Fabric } from "../../topology/fabric.js";
import { grownTo } from "../../typed-arrays.js";
import type { FlowSet } from "../flows.js";
import type { EngineOptions } from "./types.js";

/** Flow → links incidence, CSR: flow f uses link[start[f] .. start[f+1]) with the same-index weights. */
export interface FlowRoutes {
  count: number;
  start: Int32Array;
  link: Int32Array;
  /**
   * Float32 when every weight is exactly a float (ECMP's 1, spraying over power-of-two fan-outs): the same
   * values in half the memory, which a sprayed route's hundreds of incidences per flow feel.
   */
  weight: Float32Array | Float64Array;
  /** Per flow, seconds. */
  latency: Float64Array;
  /** Per flow: Σ weight / bandwidth over its links, seconds per byte serialized on every hop. */
  perByte: Float64Array;
  /** Per flow, bytes/s: the rate the flow reaches with the fabric to itself (+Infinity without links). */
  bottleneck: Float64Array;
}

/** Scratch buffers sized for one router, reused across flows. */
export interface RouteBuffers {
  links: Int32Array;
  weights: Float64Array;
}

export function makeRouteBuffers(router: Router, options: EngineOptions): RouteBuffers {
  const n = Math.max(1, options.loadBalancing === "ecmp" ? router.maxHops : router.maxSpread);
  return { links: new Int32Array(n), weights: new Float64Array(n) };
}

/** Routes flow `f` into `buf`; returns the number of links written (0 when src = dst). */
export function routeFlow(
  fabric: Fabric,
  router: Router,
  flows: FlowSet,
  f: number,
  options: EngineOptions,
  buf: RouteBuffers,
): number {
  const src = flows.src[f];
  const dst = flows.dst[f];
  const nodes = fabric.nodes.count;
  if (!(src >= 0 && src < nodes && dst >= 0 && dst < nodes)) {
    throw new WeftError(
      `flow ${f}: endpoints ${src} -> ${dst} are not nodes of the fabric (0..${nodes - 1})`,
    );
  }
  if (src === dst) return 0;
  const paths = router.pathCount(src, dst);
  if (paths <= 0) {
    throw new WeftError(
      `flow ${f}: no route from ${fabric.nodes.names[src]} to ${fabric.nodes.names[dst]} (failed links or disconnected fabric)`,
    );
  }
  if (options.loadBalancing === "ecmp") {
    // The flow index is the hash's flow key, as a source port would be: flows of one pair may differ.
    const n = router.path(src, dst, ecmpIndex(src, dst, f, options.seed, paths), buf.links);
    buf.weights.fill(1, 0, n);
    return n;
  }
  return router.spread(src, dst, buf.links, buf.weights);
}

/** Routes every flow into a CSR incidence (built once per engine call). */
export function routeFlows(
  fabric: Fabric,
  router: Router,
  flows: FlowSet,
  options: EngineOptions,
): FlowRoutes {
  const buf = makeRouteBuffers(router, options);
  const n = flows.count;
  const start = new Int32Array(n + 1);
  const latency = new Float64Array(n);
  const perByte = new Float64Array(n);
  const bottleneck = new Float64Array(n);
  let link: Int32Array = new Int32Array(Math.max(16, n * Math.max(1, router.maxHops)));
  let weight: Float32Array | Float64Array = new Float32Array(link.length);
  const bw = fabric.links.bandwidth;
  const lat = fabric.links.latency;
  let e = 0;
  for (let f = 0; f < n; f++) {
    const k = routeFlow(fabric, router, flows, f, options, buf);
    if (e + k > link.length) {
      // Grow to what the flows so far predict for all of them (one copy in the usual case).
      const predicted = Math.ceil(((e + k) / (f + 1)) * n * 1.05);
      const cap = Math.max(e + k, predicted, Math.ceil(link.length * 1.5));
      link = grownTo(link, cap);
      weight = grownTo(weight, cap);
    }
    let l = 0;
    let p = 0;
    let b = Number.POSITIVE_INFINITY;
    for (let i = 0; i < k; i++) {
      const id = buf.links[i];
      const w = buf.weights[i];
      if (Math.fround(w) !== w && weight instanceof Float32Array) weight = Float64Array.from(weight);
      link[e] = id;
      weight[e] = w;
      e++;
      l += w * lat[id];
      p += w / bw[id];
      const r = bw[id] / w;
      if (r < b) b = r;
    }
    start[f + 1] = e;
    latency[f] = l;
    perByte[f] = p;
    bottleneck[f] = b;
  }
  const used = { link: link.subarray(0, e), weight: weight.subarray(0, e) };
  return { count: n, start, ...used, latency, perByte, bottleneck };
}

/** Bytes per link: Σ over flows of bytes × weight. */
export function linkBytesOf(fabric: Fabric, flows: FlowSet, routes: FlowRoutes): Float64Array {
  const out = new Float64Array(fabric.links.count);
  for (let f = 0; f < routes.count; f++) {
    const bytes = flows.bytes[f];
    for (let e = routes.start[f]; e < routes.start[f + 1]; e++)
      out[routes.link[e]] += bytes * routes.weight[e];
  }
  return out;
}
