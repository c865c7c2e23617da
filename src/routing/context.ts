/**
 * What a router keeps between calls: the fabric, adjacency of up links in both directions (so searches
 * never scan down links), accelerator ranks by node, and scratch buffers sized once to the fabric.
 */
import type { Fabric, FabricLinks } from "../topology/fabric.js";
import type { FabricLayout } from "../topology/layout.js";
import { makeSpreadSink, type SpreadSink } from "./spread-sink.js";
import type { RoutingOptions } from "./types.js";

export interface SearchState {
  epoch: number;
  stampS: Int32Array;
  stampD: Int32Array;
  hopS: Int32Array;
  hopD: Int32Array;
  cntS: Float64Array;
  cntD: Float64Array;
  flowS: Float64Array;
  flowD: Float64Array;
  queueS: Int32Array;
  queueD: Int32Array;
  lenS: number;
  lenD: number;
  /** Shortest up-down length found, and the number of paths of that length. */
  hops: number;
  total: number;
  /** The pair the state holds (so repeated calls for one pair search once). */
  src: number;
  dst: number;
  withScaleUp: boolean;
}

export interface RouterContext {
  fabric: Fabric;
  layout: FabricLayout | undefined;
  links: FabricLinks;
  reverse: Int32Array;
  failed: Uint8Array | undefined;
  hasFailures: boolean;
  railAware: boolean;
  /** Accelerator rank of a node, -1 for other nodes. */
  rankOf: Int32Array;
  /** Outgoing up links of each node (CSR). */
  upStart: Int32Array;
  upLinks: Int32Array;
  /** Incoming up links of each node (CSR). */
  inStart: Int32Array;
  inLinks: Int32Array;
  search: SearchState;
  sink: SpreadSink;
  /** Scratch path buffer for composing routes. */
  scratch: Int32Array;
}

function csrBy(count: number, links: FabricLinks, key: Int32Array): { start: Int32Array; list: Int32Array } {
  const start = new Int32Array(count + 1);
  for (let l = 0; l < links.count; l++) if (links.up[l]) start[key[l] + 1]++;
  for (let v = 0; v < count; v++) start[v + 1] += start[v];
  const fill = start.slice(0, count);
  const list = new Int32Array(start[count]);
  for (let l = 0; l < links.count; l++) if (links.up[l]) list[fill[key[l]]++] = l;
  return { start, list };
}

export function makeContext(fabric: Fabric, options: RoutingOptions): RouterContext {
  const n = fabric.nodes.count;
  const rankOf = new Int32Array(n).fill(-1);
  for (let r = 0; r < fabric.accelerators.count; r++) rankOf[fabric.accelerators.node[r]] = r;
  const out = csrBy(n, fabric.links, fabric.links.from);
  const inn = csrBy(n, fabric.links, fabric.links.to);
  let hasFailures = false;
  if (options.failed)
    for (let l = 0; l < options.failed.length && !hasFailures; l++) hasFailures = options.failed[l] !== 0;
  return {
    fabric,
    layout: fabric.layout,
    links: fabric.links,
    reverse: fabric.links.reverse,
    failed: hasFailures ? options.failed : undefined,
    hasFailures,
    railAware: options.railAware,
    rankOf,
    upStart: out.start,
    upLinks: out.list,
    inStart: inn.start,
    inLinks: inn.list,
    search: {
      epoch: 0,
      stampS: new Int32Array(n),
      stampD: new Int32Array(n),
      hopS: new Int32Array(n),
      hopD: new Int32Array(n),
      cntS: new Float64Array(n),
      cntD: new Float64Array(n),
      flowS: new Float64Array(n),
      flowD: new Float64Array(n),
      queueS: new Int32Array(n),
      queueD: new Int32Array(n),
      lenS: 0,
      lenD: 0,
      hops: -1,
      total: 0,
      src: -1,
      dst: -1,
      withScaleUp: false,
    },
    sink: makeSpreadSink(fabric.links.count),
    scratch: new Int32Array(16),
  };
}

export function live(ctx: RouterContext, l: number): boolean {
  return ctx.failed === undefined || ctx.failed[l] === 0;
}
