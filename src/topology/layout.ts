/**
 * How the builder laid the fabric out, kept beside the graph so routing can compute paths in closed form
 * (from a leaf's position, pod and uplink numbering) instead of searching the graph. Fabrics made by hand
 * have no layout; routing then searches the graph's up links.
 *
 * Link numbering the builder guarantees (link ids are directed; a cable's up direction is even, its
 * reverse is the next id):
 * - leaf uplink j of a leaf is `upBase[leaf] + 2j`; in a 2-tier network it goes to spine `j mod S` of the
 *   network (copy `j div S`); in a 3-tier network to spine j of the leaf's pod;
 * - spine uplink i of a pod spine j is `upBase[spine] + 2i`; it goes to core `j·Cg + (i mod Cg)`
 *   (copy `i div Cg`);
 * - scale-up: see ScaleUpLayout.
 */
import type { ClosSize } from "./clos.js";

/** One scale-out Clos network: a whole plane, or one rail of one plane in a rail-only fabric. */
export interface ClosNetwork extends Omit<ClosSize, "tiers" | "spines" | "cores"> {
  plane: number;
  /** The rail every leaf of this network serves, or -1 when it serves all rails. */
  rail: number;
  /** 1 (one switch), 2 (leaf–spine) or 3 (leaf–spine–core). */
  tiers: number;
  firstSpine: number;
  spineCount: number;
  firstCore: number;
  coreCount: number;
}

export const ScaleUpTopologyCode = { none: 0, switch: 1, mesh: 2, ring: 3 } as const;
export type ScaleUpTopologyCode = (typeof ScaleUpTopologyCode)[keyof typeof ScaleUpTopologyCode];

/**
 * Scale-up domains. Domain d holds ranks firstRank[d] .. firstRank[d+1]-1 (local index i = rank − first).
 * switch: link acc i → switch is `linkBase[d] + 2i`. mesh: the pair i < j is cable number
 * i·D − i(i+1)/2 + (j − i − 1) counted from `linkBase[d]/2`, link i → j even. ring (size ≥ 3): link
 * i → i+1 (mod size) is `linkBase[d] + 2i`; size 2: one cable, 0 → 1 even.
 */
export interface ScaleUpLayout {
  count: number;
  firstRank: Int32Array;
  topology: Uint8Array;
  /** Designed domain size D (the per-link bandwidth divides by it), ≥ the domain's actual size. */
  designSize: Int32Array;
  switchNode: Int32Array;
  linkBase: Int32Array;
  /** Physical scale-up switch chips of a `switch` domain (the bill of materials counts these), else 0. */
  chips: Int32Array;
}

export interface FabricLayout {
  /** Scale-out attachment points of endpoints and NICs, CSR over node ids: port p of node v for
   *  portStart[v] <= p < portStart[v+1]. */
  portStart: Int32Array;
  /** Link from the node to the NIC it goes through (host link), or -1 when the node itself holds the port. */
  portHost: Int32Array;
  /** Up link into the leaf (from the NIC, or from the node itself). */
  portUp: Int32Array;
  portLeaf: Int32Array;
  /** Per node: the Clos network of a scale-out switch, -1 for everything else. */
  switchNet: Int32Array;
  /** Per node: position of a leaf in its network, index of a spine or core within its network. */
  switchIndex: Int32Array;
  /** Per node: first up link of a leaf or pod spine, -1 when it has none. */
  upBase: Int32Array;
  networks: ClosNetwork[];
  domains: ScaleUpLayout;
  planes: number;
  /** Warnings raised while building (before the bill of materials adds its own). */
  warnings: string[];
}
