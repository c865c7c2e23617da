/**
 * Tenant isolation on the scale-out fabric, checked by path search. Each NIC-facing switch port carries at
 * most one tenant label — a VRF on Ethernet (the `vrf_name` of its INTERFACE in config_db.json), a
 * partition key on InfiniBand — and switch-to-switch ports carry every label without changing it (VRFs
 * over the routed underlay, partition keys end to end). A route from endpoint port a reaches endpoint port
 * b only if a breadth-first search over (switch, label) states, entering at a's leaf with a's label and
 * never changing label, arrives at b's leaf, where b's port has the same label. `joins` lists every pair of
 * tenants such a search connects; isolation holds when it is empty.
 */
import { WeftError } from "../../errors.js";
import type { Fabric } from "../../topology/fabric.js";
import { NodeKind } from "../../topology/fabric.js";
import type { Cable } from "../export/cables.js";

export interface IsolationInput {
  fabric: Fabric;
  cables: Cable[];
  /** Tenant of the endpoint at the a-end of each leaf cable (by cable index), undefined when none. */
  tenantOfCable: (k: number) => string | undefined;
  /** Label configured on the leaf port of each leaf cable (VRF or partition key), undefined = default. */
  labelOfCable: (k: number) => string | undefined;
}

export interface IsolationReport {
  /** Pairs of distinct tenants a route joins: "a ↔ b". */
  joins: string[];
  /** Endpoint ports searched from. */
  searched: number;
}

export function checkIsolation(input: IsolationInput): IsolationReport {
  const { fabric, cables } = input;
  const { links, outStart, outLinks, nodes } = fabric;
  // Host ports per leaf, and labels present.
  const hostPorts = new Map<number, number[]>();
  const labels = new Map<string, number>();
  cables.forEach((c, k) => {
    if (c.tier !== "leaf") return;
    const list = hostPorts.get(c.z) ?? [];
    list.push(k);
    hostPorts.set(c.z, list);
    const label = input.labelOfCable(k) ?? "";
    if (!labels.has(label)) labels.set(label, labels.size);
  });
  const joins = new Set<string>();
  let searched = 0;
  // One search per (label): every leaf reachable carrying it; tenants met on ports of that label.
  for (const [label] of labels) {
    const seen = new Uint8Array(nodes.count);
    const stack: number[] = [];
    const tenantsMet = new Set<string>();
    for (const [leaf, ports] of hostPorts) {
      if (ports.some((k) => (input.labelOfCable(k) ?? "") === label)) {
        seen[leaf] = 1;
        stack.push(leaf);
      }
    }
    while (stack.length) {
      const v = stack.pop() as number;
      for (const k of hostPorts.get(v) ?? []) {
        if ((input.labelOfCable(k) ?? "") !== label) continue;
        searched++;
        const t = input.tenantOfCable(k);
        if (t !== undefined) tenantsMet.add(t);
      }
      for (let j = outStart[v]; j < outStart[v + 1]; j++) {
        const w = links.to[outLinks[j]];
        if (nodes.kind[w] === NodeKind.switch && !seen[w]) {
          seen[w] = 1;
          stack.push(w);
        }
      }
    }
    const met = [...tenantsMet].sort();
    for (let a = 0; a < met.length; a++)
      for (let b = a + 1; b < met.length; b++) joins.add(`${met[a]} ↔ ${met[b]}`);
  }
  return { joins: [...joins].sort(), searched };
}

/** SONiC VRF names are `Vrf…`, at most 15 characters (a Linux interface name). */
export function vrfName(tenant: string): string {
  return `Vrf_${tenant.replace(/[^A-Za-z0-9_-]/g, "_")}`.slice(0, 15);
}

/** Partition keys handed to tenants: 0x0100 up to 0x7ffe (0x7fff is the default partition). */
const FIRST_PKEY = 0x0100;
const LAST_PKEY = 0x7ffe;

/** InfiniBand partition key of tenant i (tenants in name order, see `partitionKeys`). */
export function partitionKey(index: number): string {
  const key = FIRST_PKEY + index;
  if (!Number.isInteger(index) || index < 0 || key > LAST_PKEY) {
    throw new WeftError(
      `tenant ${index + 1} has no partition key; expected at most ${LAST_PKEY - FIRST_PKEY + 1} tenants (keys 0x0100-0x7ffe)`,
    );
  }
  return `0x${key.toString(16).padStart(4, "0")}`;
}
