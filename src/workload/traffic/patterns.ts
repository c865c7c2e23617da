/**
 * Raw traffic patterns over a fabric's endpoints (accelerators, then the nodes of the other groups, in group
 * order — the numbering of htsim's connection matrices):
 * - permutation: every endpoint sends to one other and receives from one, a uniformly random derangement
 *   drawn with the scenario seed (shuffle, then reject until no endpoint maps to itself);
 * - incast: `senders` endpoints (the first ones) send to the last endpoint;
 * - all-to-all: every ordered pair of distinct endpoints, each sender's flows in shift order (i → i+1,
 *   i+2, … mod n), as NCCL schedules the sends of a grouped all-to-all: the flows a NIC serves in turn then
 *   go to different receivers at each turn. (In one common order for every sender, each round-robin turn
 *   of every NIC lands on the same receiver — an n-to-1 burst per turn — which no collective library issues.)
 * - file: an htsim connection matrix.
 */
import { WeftError } from "../../errors.js";
import { makePrng, nextUint32 } from "../../prng.js";
import type { TrafficWorkload } from "../../scenario/types.js";
import type { FlowSet } from "../../sim/flows.js";
import { makeFlowSet } from "../../sim/flows.js";
import type { Fabric } from "../../topology/fabric.js";
import { readConnectionMatrix } from "./connection-matrix.js";

export interface TrafficFlows {
  flows: FlowSet;
  /** Per flow: its id in the results (1-based order, or the matrix's `id`). */
  ids: Int32Array;
  /** Per flow: endpoint indices (positions in `endpoints`). */
  srcIndex: Int32Array;
  dstIndex: Int32Array;
}

/** Endpoint node ids of the fabric in traffic order. */
export function trafficEndpoints(fabric: Fabric): Int32Array {
  const total = fabric.groups.reduce((s, g) => s + g.endpoints.length, 0);
  const out = new Int32Array(total);
  let i = 0;
  for (const g of fabric.groups) {
    out.set(g.endpoints, i);
    i += g.endpoints.length;
  }
  return out;
}

/** A uniformly random permutation of 0..n-1 with no fixed point. */
export function derangement(n: number, seed: number): Int32Array {
  if (n < 2) throw new WeftError(`a permutation needs at least 2 endpoints, got ${n}`);
  const prng = makePrng(seed);
  const p = new Int32Array(n);
  for (;;) {
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor((nextUint32(prng) / 4294967296) * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    let fixed = false;
    for (let i = 0; i < n && !fixed; i++) fixed = p[i] === i;
    // A uniform permutation has no fixed point with probability ~1/e: a few draws on average.
    if (!fixed) return p;
  }
}

/** The pattern's flows over `endpoints` (default: every endpoint of the fabric, in traffic order). */
export function trafficFlows(
  workload: TrafficWorkload,
  fabric: Fabric,
  seed: number,
  endpoints: Int32Array = trafficEndpoints(fabric),
): TrafficFlows {
  const n = endpoints.length;
  const pairs: number[] = [];
  const starts: number[] = [];
  const sizes: number[] = [];
  const ids: number[] = [];
  const add = (a: number, b: number, bytes: number, startS = 0, id = ids.length + 1) => {
    pairs.push(a, b);
    sizes.push(bytes);
    starts.push(startS);
    ids.push(id);
  };
  switch (workload.pattern) {
    case "permutation": {
      const p = derangement(n, seed);
      for (let i = 0; i < n; i++) add(i, p[i], workload.size);
      break;
    }
    case "incast": {
      const senders = workload.senders ?? n - 1;
      if (!(senders >= 1 && senders < n)) {
        throw new WeftError(`incast: ${senders} senders need 1..${n - 1} (the fabric has ${n} endpoints)`);
      }
      for (let i = 0; i < senders; i++) add(i, n - 1, workload.size);
      break;
    }
    case "all-to-all":
      for (let i = 0; i < n; i++) for (let t = 1; t < n; t++) add(i, (i + t) % n, workload.size);
      break;
    case "file": {
      if (!workload.file) throw new WeftError("traffic pattern file needs a connection-matrix file");
      const m = readConnectionMatrix(workload.file);
      if (m.nodes > n) {
        throw new WeftError(
          `the connection matrix has Nodes ${m.nodes} but the fabric has ${n} endpoints; expected at most ${n}`,
          { file: workload.file },
        );
      }
      for (const c of m.connections) add(c.src, c.dst, c.bytes, c.startS, c.id);
      break;
    }
  }
  const count = ids.length;
  const flows = makeFlowSet(count);
  const srcIndex = new Int32Array(count);
  const dstIndex = new Int32Array(count);
  for (let f = 0; f < count; f++) {
    srcIndex[f] = pairs[2 * f];
    dstIndex[f] = pairs[2 * f + 1];
    flows.src[f] = endpoints[srcIndex[f]];
    flows.dst[f] = endpoints[dstIndex[f]];
    flows.bytes[f] = sizes[f];
    flows.start[f] = starts[f];
  }
  return { flows, ids: Int32Array.from(ids), srcIndex, dstIndex };
}
