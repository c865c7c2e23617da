/**
 * The shapes a serving pool can take: tensor parallelism a power of two inside a scale-up domain that
 * divides the attention heads (and pairs with the KV heads), the pool's attention DP and expert
 * parallelism as written (a pool with ep > 1 keeps its tp too: its experts are laid out for it), and an
 * instance count from a ladder that grows by about half each step, up to what the group holds (the
 * tuner searches between two rungs once they bracket the answer, serving.ts).
 */

import { exposedHbm } from "../catalog/accelerators.js";
import { ELEMENT_BYTES } from "../model/precision.js";
import type { InferenceWorkload, InstancePool, Scenario } from "../scenario/types.js";
import { HBM_UTILIZATION, weightsPerAccelerator } from "../workload/inference/pools.js";

export interface PoolShape {
  tp: number;
  instances: number;
}

/** Accelerators of `pool`'s group (nodes × accelerators per node). */
export function groupAccelerators(scenario: Scenario, pool: InstancePool): number {
  const g = scenario.cluster.groups.find((x) => x.name === pool.group);
  return g ? g.nodes * g.acceleratorsPerNode : 0;
}

/** Tensor-parallel sizes `pool` may take: the shape rules, and the weights fit beside some KV cache. */
export function tpChoices(scenario: Scenario, w: InferenceWorkload, pool: InstancePool): number[] {
  if (pool.ep > 1) return [pool.tp];
  const g = scenario.cluster.groups.find((x) => x.name === pool.group);
  const domain = g ? (g.scaleUp?.domain ?? g.acceleratorsPerNode) : 1;
  const { heads, kvHeads } = w.model;
  const out: number[] = [];
  for (let tp = 1; tp <= Math.min(domain, heads); tp *= 2) {
    if (heads % tp === 0 && (kvHeads % tp === 0 || tp % kvHeads === 0) && weightsFit(scenario, w, pool, tp))
      out.push(tp);
  }
  return out;
}

/** The pool's weights at `tp` leave room in the usable HBM (the serving model's own rule, pools.ts). */
function weightsFit(scenario: Scenario, w: InferenceWorkload, pool: InstancePool, tp: number): boolean {
  const accelerator = scenario.cluster.groups.find((x) => x.name === pool.group)?.accelerator;
  if (!accelerator) return true; // the run says what is wrong with the group
  const bytes = weightsPerAccelerator(
    w.model,
    tp,
    pool.ep,
    ELEMENT_BYTES[w.precision],
    pool.redundantExperts,
  );
  return bytes < HBM_UTILIZATION * exposedHbm(accelerator);
}

/** 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, … up to `max` (and `max` itself). */
export function instanceLadder(max: number): number[] {
  const out: number[] = [];
  for (let n = 1; n <= max; n = n < 4 ? n + 1 : n % 3 === 0 ? (n / 3) * 4 : (n / 2) * 3) out.push(n);
  if (max >= 1 && out[out.length - 1] !== max) out.push(max);
  return out;
}

/** The next rung of the ladder up to `max` above `n`; undefined at the top. */
export function nextRung(n: number, max: number): number | undefined {
  return instanceLadder(max).find((x) => x > n);
}

/** Accelerators an instance of `pool` takes at tensor parallelism `tp`. */
export function perInstance(pool: InstancePool, tp: number): number {
  return tp * pool.dp;
}
