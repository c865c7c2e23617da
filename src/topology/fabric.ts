/**
 * The Fabric: one directed graph for the whole cluster, stored as struct-of-arrays so engines can walk it
 * with numeric ids and typed arrays. Every cable is two directed links (one per direction), each with its
 * own bandwidth (bytes/s) and latency (s); `links.reverse[l]` is the other direction.
 *
 * Nodes are endpoints (accelerators, memory, storage, plain hosts), NICs where a NIC is shared or split, and
 * switches (scale-up switches and the scale-out tiers leaf / spine / core).
 */
import type { FabricLayout } from "./layout.js";

export const NodeKind = {
  accelerator: 0,
  memory: 1,
  storage: 2,
  host: 3,
  nic: 4,
  switch: 5,
} as const;
export type NodeKind = (typeof NodeKind)[keyof typeof NodeKind];

/** Switch tiers. Endpoints and NICs are tier `none`. */
export const SwitchTier = { none: 0, scaleUp: 1, leaf: 2, spine: 3, core: 4 } as const;
export type SwitchTier = (typeof SwitchTier)[keyof typeof SwitchTier];
export const SWITCH_TIER_NAMES = ["none", "scaleUp", "leaf", "spine", "core"] as const;

/**
 * Link tiers, named like cables: by the tier of their upper end. `host` is inside a node (accelerator to its
 * NIC over PCIe); `scaleUp` is NVLink/UALink (to a scale-up switch, or accelerator to accelerator in a mesh);
 * `leaf` is NIC (or endpoint) to leaf; `spine` is leaf to spine; `core` is spine to core.
 */
export const LinkTier = { host: 0, scaleUp: 1, leaf: 2, spine: 3, core: 4 } as const;
export type LinkTier = (typeof LinkTier)[keyof typeof LinkTier];
export const LINK_TIER_NAMES = ["host", "scaleUp", "leaf", "spine", "core"] as const;

export interface FabricNodes {
  count: number;
  kind: Uint8Array; // NodeKind
  tier: Uint8Array; // SwitchTier
  /** Group index for endpoints and NICs, -1 for switches. */
  group: Int16Array;
  /** Scale-out plane of a switch or NIC (0 when single-plane), -1 where it does not apply. */
  plane: Int16Array;
  /** Pod (3-tier) or scalable unit a switch belongs to, -1 for the top tier and endpoints. */
  pod: Int32Array;
  /** Human names, as `weft plan` prints them and failures refer to them: `gpu-n3-a5`, `leaf-12`, `spine-0`. */
  names: string[];
}

export interface FabricLinks {
  count: number;
  from: Int32Array;
  to: Int32Array;
  bandwidth: Float64Array; // bytes/s, per direction
  latency: Float64Array; // seconds (propagation + the switch latency at `to`, if a switch)
  tier: Uint8Array; // LinkTier
  /** 1 when the link goes up (towards the core), 0 when it goes down or sideways. */
  up: Uint8Array;
  reverse: Int32Array;
}

/** One accelerator per entry, in global rank order (group by group, node by node, local index). */
export interface AcceleratorIndex {
  count: number;
  node: Int32Array; // fabric node id
  group: Int16Array;
  /** Global server (tray) index across the cluster. */
  server: Int32Array;
  /** Index within its server, which is also its rail. */
  local: Int16Array;
  /** Scale-up domain id (global). */
  domain: Int32Array;
}

export interface GroupInfo {
  name: string;
  kind: "accelerator" | "memory" | "storage" | "host";
  /** Servers (nodes in scenario terms) of this group. */
  servers: number;
  /** Endpoint node ids of this group, in order. */
  endpoints: Int32Array;
  /** For accelerator groups: the first global accelerator rank. */
  firstRank: number;
}

export interface BillOfMaterials {
  /** Switch counts by tier name: leaf, spine, core, scaleUp. */
  switches: Record<string, number>;
  /** Cable counts by the tier of their upper end: leaf (node-to-leaf), spine, core, scaleUp. */
  cables: Record<string, number>;
  /** Transceivers by catalog id. */
  optics: Record<string, number>;
  costUsd: { switches: number; optics: number; nics: number; accelerators: number; total: number };
  powerW: { switches: number; optics: number; nics: number; accelerators: number; total: number };
  /** Switch ports the design leaves unconnected, by tier (leaf, spine, core, scaleUp): unused of total. */
  unusedPorts: Record<string, { unused: number; total: number }>;
  warnings: string[];
}

export interface Fabric {
  nodes: FabricNodes;
  links: FabricLinks;
  /** Outgoing links of node n: outLinks[outStart[n] .. outStart[n+1]). */
  outStart: Int32Array;
  outLinks: Int32Array;
  accelerators: AcceleratorIndex;
  groups: GroupInfo[];
  /** Scale-out tiers actually built (1, 2 or 3). */
  tiers: number;
  bom: BillOfMaterials;
  /**
   * How the builder laid the fabric out (leaf positions, uplink numbering, scale-up domains), so routing can
   * compute paths in closed form. Absent on fabrics made by hand: routing then searches the graph.
   */
  layout?: FabricLayout;
}
