/**
 * Tenant isolation on the scale-out fabric, checked by path search. Each NIC-facing switch port carries at
 * most one tenant label — a VRF on Ethernet (the `vrf_name` of its INTERFACE in config_db.json), a
 * partition key on InfiniBand — and switch-to-switch ports carry every label without changing it (VRFs
 * over the routed underlay, partition keys end to end). A route from endpoint port a reaches endpoint port
 * b only if a breadth-first search over (switch, label) states, entering at a's leaf with a's label and
 * never changing label, arrives at b's leaf, where b's port has the same label. `joins` lists every pair of
 * tenants such a search connects, and every pair whose ports carry one label (one VRF is one network,
 * routed or not); isolation holds when it is empty.
 */
import { createHash } from "node:crypto";
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
  const joins = sharedLabels(cables, input);
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
    addPairs(joins, tenantsMet);
  }
  return { joins: [...joins].sort(), searched };
}

/**
 * Tenants whose host ports carry one label, each pair once: one VRF (or partition key) is one network,
 * whether or not a route joins them today, so two tenants sharing one fail the check by that alone.
 */
function sharedLabels(cables: Cable[], input: IsolationInput): Set<string> {
  const tenantsOf = new Map<string, Set<string>>();
  cables.forEach((c, k) => {
    const t = c.tier === "leaf" ? input.tenantOfCable(k) : undefined;
    if (t === undefined) return;
    const label = input.labelOfCable(k) ?? "";
    const set = tenantsOf.get(label) ?? new Set<string>();
    tenantsOf.set(label, set.add(t));
  });
  const joins = new Set<string>();
  for (const tenants of tenantsOf.values()) addPairs(joins, tenants);
  return joins;
}

function addPairs(joins: Set<string>, tenants: Set<string>): void {
  const met = [...tenants].sort();
  for (let a = 0; a < met.length; a++)
    for (let b = a + 1; b < met.length; b++) joins.add(`${met[a]} ↔ ${met[b]}`);
}

/**
 * SONiC VRF names start with `Vrf` and are at most 15 characters: sonic-utilities' `config vrf add`
 * (config/main.py, add_vrf) refuses any other ("is not start with Vrf", "is too long!"), as a VRF is a
 * Linux net device and IFNAMSIZ is 16 bytes with the terminating NUL.
 */
export const VRF_MAX_LENGTH = 15;

/** A tenant name that is its own VRF suffix as it stands: the characters a VRF name may hold, short enough. */
const VERBATIM = new RegExp(`^[A-Za-z0-9_-]{1,${VRF_MAX_LENGTH - "Vrf_".length}}$`);

/**
 * The VRF of a tenant, from its name alone (so adding a tenant never renames another's VRF):
 * `Vrf_<tenant>` when the name fits as it is; otherwise `Vrf-`, its first 4 characters with each one a
 * VRF name may not hold made `_`, `_`, and 6 hex digits of the name's SHA-256 (`research-team-1` →
 * `Vrf-rese_…`). Cutting or replacing characters alone would give `research-team-1` and `research-team-2`,
 * or `bl ue` and `bl_ue`, one VRF and merge the tenants; the `-` after `Vrf` keeps every hashed name apart
 * from every verbatim one. Two hashed names can still meet (same start, same 24 bits): `vrfNames` checks.
 */
export function vrfName(tenant: string): string {
  if (VERBATIM.test(tenant)) return `Vrf_${tenant}`;
  const start = tenant.slice(0, 4).replace(/[^A-Za-z0-9_-]/g, "_");
  const digest = createHash("sha256").update(tenant, "utf8").digest("hex").slice(0, 6);
  return `Vrf-${start}_${digest}`;
}

/** Each tenant's VRF; fails when two tenants would share one (their ports would be one network). */
export function vrfNames(tenants: Iterable<string>): Map<string, string> {
  const vrfs = new Map<string, string>();
  const owner = new Map<string, string>();
  for (const t of tenants) {
    const vrf = vrfName(t);
    const other = owner.get(vrf);
    if (other !== undefined && other !== t) {
      throw new WeftError(
        `tenants ${JSON.stringify(other)} and ${JSON.stringify(t)} both get the VRF ${vrf}; expected tenant names that differ in their first 4 characters or fit a VRF as they are (letters, digits, _ and -, at most ${VRF_MAX_LENGTH - 4})`,
      );
    }
    owner.set(vrf, t);
    vrfs.set(t, vrf);
  }
  return vrfs;
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
