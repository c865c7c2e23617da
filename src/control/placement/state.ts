/**
 * The fabric manager's view of who holds what: free accelerators (per rank, per domain, in all), and per
 * leaf how many busy accelerators each tenant has there (for `isolate: leaf`).
 */
import type { ClusterView } from "./cluster-view.js";

export interface PlacementState {
  view: ClusterView;
  free: Uint8Array;
  freeInDomain: Int32Array;
  freeCount: number;
  tenants: string[];
  isolated: Uint8Array;
  /** Busy ranks per (leaf node, tenant): leafTenantBusy[leaf · T + t]. */
  leafTenantBusy: Int32Array;
}

export function makeState(
  view: ClusterView,
  tenants: string[],
  isolated: (t: string) => boolean,
  nodes: number,
): PlacementState {
  const freeInDomain = new Int32Array(view.domains);
  for (let r = 0; r < view.accelerators; r++) freeInDomain[view.domain[r]]++;
  return {
    view,
    free: new Uint8Array(view.accelerators).fill(1),
    freeInDomain,
    freeCount: view.accelerators,
    tenants,
    isolated: Uint8Array.from(tenants, (t) => (isolated(t) ? 1 : 0)),
    leafTenantBusy: new Int32Array(nodes * Math.max(1, tenants.length)),
  };
}

export function take(state: PlacementState, ranks: Int32Array, tenant: number, sign: 1 | -1): void {
  const { view, free, freeInDomain, leafTenantBusy } = state;
  const T = state.tenants.length;
  for (const r of ranks) {
    free[r] = sign > 0 ? 0 : 1;
    freeInDomain[view.domain[r]] -= sign;
    const s = view.server[r];
    for (let k = view.serverLeafStart[s]; k < view.serverLeafStart[s + 1]; k++) {
      leafTenantBusy[view.serverLeaves[k] * T + tenant] += sign;
    }
  }
  state.freeCount -= sign * ranks.length;
}

/**
 * Servers a tenant may use: every leaf the server reaches holds no other tenant's job when either tenant
 * is isolated. Undefined when no tenant is isolated (every server allowed).
 */
export function allowedServers(state: PlacementState, tenant: number): Uint8Array | undefined {
  const { isolated, tenants, leafTenantBusy, view } = state;
  if (!isolated.some((x) => x === 1)) return undefined;
  const T = tenants.length;
  const ok = new Uint8Array(view.servers).fill(1);
  for (let s = 0; s < view.servers; s++) {
    for (let k = view.serverLeafStart[s]; k < view.serverLeafStart[s + 1] && ok[s]; k++) {
      const base = view.serverLeaves[k] * T;
      for (let u = 0; u < T; u++) {
        if (u !== tenant && leafTenantBusy[base + u] > 0 && (isolated[u] || isolated[tenant])) {
          ok[s] = 0;
          break;
        }
      }
    }
  }
  return ok;
}
