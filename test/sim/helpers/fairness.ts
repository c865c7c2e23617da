/**
 * Checks of a rate vector against the max-min definition, independent of how the engine computed it:
 * feasibility (no link above capacity) and the bottleneck property (every flow crosses a saturated link on
 * which no flow has a higher rate), which together characterize the max-min fair allocation.
 */
import type { FlowEngineResult } from "../../../src/sim/engines/flow/engine.js";
import type { FlowRoutes } from "../../../src/sim/engines/routes.js";
import type { FlowSet } from "../../../src/sim/flows.js";

export const REL = 1e-9;

/** Returns a list of violations (empty = max-min fair). `active[f]` selects the flows that exist now. */
export function maxMinViolations(
  routes: FlowRoutes,
  capacity: Float64Array,
  rate: Float64Array,
  active: boolean[],
): string[] {
  const load = new Float64Array(capacity.length);
  const top = new Float64Array(capacity.length);
  for (let f = 0; f < routes.count; f++) {
    if (!active[f]) continue;
    for (let e = routes.start[f]; e < routes.start[f + 1]; e++) {
      const l = routes.link[e];
      load[l] += routes.weight[e] * rate[f];
      if (rate[f] > top[l]) top[l] = rate[f];
    }
  }
  const out: string[] = [];
  load.forEach((x, l) => {
    if (x > capacity[l] * (1 + REL)) out.push(`link ${l} over capacity: ${x} > ${capacity[l]}`);
  });
  for (let f = 0; f < routes.count; f++) {
    if (!active[f] || routes.start[f] === routes.start[f + 1]) continue;
    let bottlenecked = false;
    for (let e = routes.start[f]; e < routes.start[f + 1] && !bottlenecked; e++) {
      const l = routes.link[e];
      bottlenecked = load[l] >= capacity[l] * (1 - REL) && rate[f] >= top[l] * (1 - REL);
    }
    if (!bottlenecked) out.push(`flow ${f} (rate ${rate[f]}) has no bottleneck link`);
  }
  return out;
}

/** Violations at every rate computation of a traced run, over the flows active at that moment. */
export function traceViolations(r: FlowEngineResult, flows: FlowSet, capacity: Float64Array): string[] {
  const trace = r.trace;
  if (!trace) throw new Error("run the flow engine with trace: true");
  const rate = new Float64Array(flows.count);
  const transferEnd = Array.from(r.finish, (t, f) => t - r.routes.latency[f]);
  const out: string[] = [];
  let i = 0;
  while (i < trace.count) {
    const step = trace.step[i];
    const t = trace.time[i];
    for (; i < trace.count && trace.step[i] === step; i++) rate[trace.flow[i]] = trace.rate[i];
    // Active at t: arrived, not finished, and moving bytes over links.
    const active = Array.from({ length: flows.count }, (_, f) => {
      const moving = flows.bytes[f] > 0 && r.routes.start[f] < r.routes.start[f + 1];
      return moving && flows.start[f] <= t * (1 + 1e-12) && transferEnd[f] > t * (1 + 1e-12);
    });
    for (const v of maxMinViolations(r.routes, capacity, rate, active))
      out.push(`step ${step} (t = ${t}): ${v}`);
  }
  return out;
}
