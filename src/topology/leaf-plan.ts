/**
 * Where each scale-out port lands: the leaf of every NIC port (the same in every plane) and the Clos
 * networks built over the leaves. Each topology builder (single-switch, fat-tree, rail-optimized, rail-only)
 * returns one of these; build.ts then creates the switches and cables.
 */
import type { ClusterSpec } from "../scenario/types.js";
import type { ClosSize } from "./clos.js";
import type { PortTable } from "./endpoints.js";

export interface NetworkPlan {
  /** The rail all its leaves serve, or -1. */
  rail: number;
  /** Leaf indices (plane-local), in position order. */
  leaves: Int32Array;
  size: ClosSize;
}

export interface LeafPlan {
  leaves: number;
  leafOfPort: Int32Array;
  /** Rail a leaf serves, -1 when it serves every rail. */
  leafRail: Int16Array;
  /** Scalable unit of a leaf (rail topologies), -1 otherwise. */
  leafSu: Int32Array;
  networks: NetworkPlan[];
}

export interface PlanInput {
  cluster: ClusterSpec;
  ports: PortTable;
  warnings: string[];
}

export function emptyLeafArrays(leaves: number): Pick<LeafPlan, "leafRail" | "leafSu"> {
  return { leafRail: new Int16Array(leaves).fill(-1), leafSu: new Int32Array(leaves).fill(-1) };
}

/**
 * Ports in order, `perLeaf` to a leaf; each group starts on a fresh leaf. Returns the leaf count and fills
 * leafOfPort.
 */
export function placeInOrder(ports: PortTable, perLeaf: number, leafOfPort: Int32Array): number {
  let leaf = -1;
  let used = perLeaf;
  let group = -1;
  for (let p = 0; p < ports.count; p++) {
    if (ports.group[p] !== group || used === perLeaf) {
      leaf++;
      used = 0;
      group = ports.group[p];
    }
    leafOfPort[p] = leaf;
    used++;
  }
  return leaf + 1;
}

/**
 * Rail placement: scalable units of `perLeaf` servers; NIC j of every server of a unit goes to the unit's
 * rail leaf j. A group starts on a fresh unit; a partial unit still gets all its rail leaves.
 */
export function placeOnRails(
  cluster: ClusterSpec,
  ports: PortTable,
  perLeaf: number,
  leafOfPort: Int32Array,
): { leaves: number; leafRail: Int16Array; leafSu: Int32Array } {
  const groupBase: number[] = [];
  const suBase: number[] = [];
  let leaves = 0;
  let units = 0;
  for (const g of cluster.groups) {
    groupBase.push(leaves);
    suBase.push(units);
    const su = g.nics.count > 0 ? Math.ceil(g.nodes / perLeaf) : 0;
    units += su;
    leaves += su * g.nics.count;
  }
  const leafRail = new Int16Array(leaves);
  const leafSu = new Int32Array(leaves);
  cluster.groups.forEach((g, gi) => {
    const rails = g.nics.count;
    const su = rails > 0 ? Math.ceil(g.nodes / perLeaf) : 0;
    for (let u = 0; u < su; u++) {
      for (let r = 0; r < rails; r++) {
        const leaf = groupBase[gi] + u * rails + r;
        leafRail[leaf] = r;
        leafSu[leaf] = suBase[gi] + u;
      }
    }
  });
  for (let p = 0; p < ports.count; p++) {
    const g = ports.group[p];
    const rails = cluster.groups[g].nics.count;
    leafOfPort[p] = groupBase[g] + Math.floor(ports.server[p] / perLeaf) * rails + ports.rail[p];
  }
  return { leaves, leafRail, leafSu };
}

export function allLeaves(count: number): Int32Array {
  const a = new Int32Array(count);
  for (let i = 0; i < count; i++) a[i] = i;
  return a;
}
