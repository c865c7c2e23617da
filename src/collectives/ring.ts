/**
 * Ring algorithms (NCCL style). Ranks form one ring per channel; across domains there is one channel per
 * rail, and ring order follows the topology: each domain is walked as a snake — forward in even domains,
 * backward in odd ones, starting at the channel's rail — so the ring leaves a domain and enters the next
 * on the same rail (same local index), staying on its rail leaf. In a full-mesh domain (no switch) the
 * channels step through the domain with different strides so they use different direct links.
 *
 * all-reduce: reduce-scatter then all-gather, 2(n−1) steps of S/n per rank: two phases of n−1 repeats
 * sharing one FlowSet. all-gather / reduce-scatter: n−1 steps of S/n. broadcast / reduce: a chain from the
 * root along the ring, pipelined in chunks. send-recv: each rank sends S to its ring successor.
 */
import type { CollectiveOp } from "../scenario/types.js";
import { LinkTier } from "../topology/fabric.js";
import { hasUpSwitch, type RankLayout } from "./layout.js";
import { pipelineChunks } from "./protocol.js";
import { type BuildOptions, makePhase, mixedAlpha, unsupported } from "./schedule.js";
import { addFlow, finishStep, newStep } from "./step.js";
import type { Phase } from "./types.js";

export function ringPhases(
  layout: RankLayout,
  op: CollectiveOp,
  bytes: number,
  options: BuildOptions,
): Phase[] {
  const orders = ringOrders(layout);
  const n = layout.n;
  const crossing = crossingEdges(layout, orders[0], true);
  switch (op) {
    case "all-reduce": {
      const step = ringStepFlows(layout, orders, bytes / n, options);
      const alpha = mixedAlpha(n - 1, crossing, n);
      return [
        makePhase({ label: "ring reduce-scatter", step, repeat: n - 1, alphaCounts: alpha }),
        makePhase({ label: "ring all-gather", step, repeat: n - 1, alphaCounts: { ...alpha } }),
      ];
    }
    case "all-gather":
    case "reduce-scatter": {
      const step = ringStepFlows(layout, orders, bytes / n, options);
      return [
        makePhase({ label: `ring ${op}`, step, repeat: n - 1, alphaCounts: mixedAlpha(n - 1, crossing, n) }),
      ];
    }
    case "send-recv": {
      const step = ringStepFlows(layout, orders, bytes, options);
      return [
        makePhase({ label: "ring send-recv", step, repeat: 1, alphaCounts: mixedAlpha(1, crossing, n) }),
      ];
    }
    case "broadcast":
    case "reduce":
      return [chainPhase(layout, orders, bytes, op, options)];
    default:
      throw unsupported("ring", op, [
        "all-reduce",
        "all-gather",
        "reduce-scatter",
        "broadcast",
        "reduce",
        "send-recv",
      ]);
  }
}

/** One ring order (positions) per channel. */
export function ringOrders(layout: RankLayout): Int32Array[] {
  const { domains } = layout;
  if (domains.length === 1) return meshStrides(layout).map((s) => strideOrder(domains[0], s));
  const channels = layout.rails;
  const orders: Int32Array[] = [];
  for (let c = 0; c < channels; c++) {
    const order = new Int32Array(layout.n);
    let k = 0;
    domains.forEach((dom, d) => {
      const P = dom.length;
      const s = Math.floor((c * P) / channels);
      for (let j = 0; j < P; j++)
        order[k++] = d % 2 === 0 ? dom[(s + j) % P] : dom[(((s - 1 - j) % P) + P) % P];
    });
    orders.push(order);
  }
  return orders;
}

/** Strides coprime to the domain size when the domain is a full mesh of direct links; [1] otherwise. */
function meshStrides(layout: RankLayout): number[] {
  const dom = layout.domains[0];
  const P = dom.length;
  if (P < 3 || hasUpSwitch(layout, dom[0]) || !isMesh(layout)) return [1];
  const strides: number[] = [];
  for (let s = 1; s < P; s++) if (gcd(s, P) === 1) strides.push(s);
  return strides;
}

function isMesh(layout: RankLayout): boolean {
  const { fabric } = layout;
  const a = layout.node[layout.domains[0][0]];
  let scaleUpLinks = 0;
  for (let i = fabric.outStart[a]; i < fabric.outStart[a + 1]; i++) {
    if (fabric.links.tier[fabric.outLinks[i]] === LinkTier.scaleUp) scaleUpLinks++;
  }
  return scaleUpLinks >= layout.domains[0].length - 1;
}

function strideOrder(dom: Int32Array, stride: number): Int32Array {
  const P = dom.length;
  const order = new Int32Array(P);
  for (let j = 0; j < P; j++) order[j] = dom[(j * stride) % P];
  return order;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Every rank sends `perRank` bytes to its successor, split evenly over the channels. */
function ringStepFlows(layout: RankLayout, orders: Int32Array[], perRank: number, options: BuildOptions) {
  const n = layout.n;
  const list = newStep(layout, options.sketch, true, n * 2);
  const share = perRank / orders.length;
  for (const order of orders) {
    for (let i = 0; i < n; i++) addFlow(list, layout.node[order[i]], layout.node[order[(i + 1) % n]], share);
  }
  return finishStep(list);
}

/** Ring edges of an order that cross domains (with the wrap-around edge when `closed`). */
export function crossingEdges(layout: RankLayout, order: Int32Array, closed: boolean): number {
  const n = order.length;
  let x = 0;
  const last = closed ? n : n - 1;
  for (let i = 0; i < last; i++) if (layout.domainOf[order[i]] !== layout.domainOf[order[(i + 1) % n]]) x++;
  return x;
}

/** Broadcast (root → …) or reduce (… → root) along each channel's ring cut open at the root (position 0). */
function chainPhase(
  layout: RankLayout,
  orders: Int32Array[],
  bytes: number,
  op: "broadcast" | "reduce",
  options: BuildOptions,
): Phase {
  const n = layout.n;
  const depth = n - 1;
  const { chunk, chunks } = pipelineChunks(bytes, depth);
  const list = newStep(layout, options.sketch, true, n * 2);
  const chains = orders.map((o) => rotateTo(o, 0));
  for (const chain of chains) {
    for (let i = 0; i + 1 < n; i++) {
      const a = layout.node[chain[i]];
      const b = layout.node[chain[i + 1]];
      if (op === "broadcast") addFlow(list, a, b, chunk / chains.length);
      else addFlow(list, b, a, chunk / chains.length);
    }
  }
  const crossing = crossingEdges(layout, chains[0], false);
  return makePhase({
    label: `ring ${op} (pipelined chain)`,
    step: finishStep(list),
    repeat: chunks,
    alphaCounts: mixedAlpha(depth, crossing, depth),
    depth,
  });
}

function rotateTo(order: Int32Array, position: number): Int32Array {
  const at = order.indexOf(position);
  const out = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) out[i] = order[(at + i) % order.length];
  return out;
}
