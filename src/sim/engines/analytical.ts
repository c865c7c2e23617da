/**
 * The analytical engine: no contention. Each flow has the fabric to itself, so it runs at the bottleneck of
 * its route (min over its links of bandwidth / weight) and finishes at start + latency + bytes / bottleneck.
 * Cost: one routing call per flow, nothing stored per flow beyond the result.
 */
import type { Router } from "../../routing/types.js";
import type { Fabric } from "../../topology/fabric.js";
import { checkFlowSet } from "../check-flows.js";
import type { FlowSet, FlowSetResult } from "../flows.js";
import { makeRouteBuffers, routeFlow } from "./routes.js";
import type { EngineOptions } from "./types.js";

export function analyticalEngine(
  fabric: Fabric,
  router: Router,
  flows: FlowSet,
  options: EngineOptions,
): FlowSetResult {
  checkFlowSet(flows);
  const n = flows.count;
  const buf = makeRouteBuffers(router, options);
  const finish = new Float64Array(n);
  const linkBytes = options.linkBytes ? new Float64Array(fabric.links.count) : undefined;
  const bw = fabric.links.bandwidth;
  const lat = fabric.links.latency;
  let makespan = 0;
  for (let f = 0; f < n; f++) {
    const k = routeFlow(fabric, router, flows, f, options, buf);
    const bytes = flows.bytes[f];
    let latency = 0;
    let bottleneck = Number.POSITIVE_INFINITY;
    for (let i = 0; i < k; i++) {
      const id = buf.links[i];
      const w = buf.weights[i];
      latency += w * lat[id];
      const r = bw[id] / w;
      if (r < bottleneck) bottleneck = r;
      if (linkBytes) linkBytes[id] += bytes * w;
    }
    const t = flows.start[f] + latency + (bytes > 0 ? bytes / bottleneck : 0);
    finish[f] = t;
    if (t > makespan) makespan = t;
  }
  return { finish, makespan, stats: { events: n, recomputes: 0 }, ...(linkBytes ? { linkBytes } : {}) };
}
