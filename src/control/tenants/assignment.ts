/**
 * Which servers belong to which tenant, for exports: a YAML or JSON file
 *
 *   tenants:
 *     blue: [gpu-n0, gpu-n1, gpu-n2]
 *     red: [gpu-n8]
 *
 * Server names are device names without their `-a<i>` / `-nic<j>` suffix (as `weft plan --names` shows:
 * `gpu-n17-a3` and `gpu-n17-nic2` are server `gpu-n17`). Each server belongs to at most one tenant.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { WeftError } from "../../errors.js";
import type { Fabric } from "../../topology/fabric.js";
import type { Cable } from "../export/cables.js";
import { partitionKey, vrfNames } from "./isolation.js";

export type TenantServers = Map<string, string>;

const schema = z.strictObject({ tenants: z.record(z.string().min(1), z.array(z.string().min(1))) });

export function parseTenantServers(doc: unknown, where = "tenants"): TenantServers {
  const r = schema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new WeftError(
      `${where}: ${issue.path.join(".") || "(top)"}: ${issue.message}; expected tenants: { name: [server, ...] }`,
    );
  }
  const owner: TenantServers = new Map();
  for (const [tenant, servers] of Object.entries(r.data.tenants)) {
    for (const s of servers) {
      const other = owner.get(s);
      if (other && other !== tenant)
        throw new WeftError(`${where}: server ${s} is in both ${other} and ${tenant}`);
      owner.set(s, tenant);
    }
  }
  return owner;
}

export function loadTenantServers(file: string): TenantServers {
  return parseTenantServers(parse(readFileSync(file, "utf8")), file);
}

export function serverName(device: string): string {
  return device.replace(/-(a|nic)\d+$/, "");
}

/** The tenant of the endpoint on each leaf cable, checking every named server exists. */
export function tenantOfCableFn(
  owner: TenantServers,
  fabric: Fabric,
  cables: Cable[],
): (k: number) => string | undefined {
  const names = fabric.nodes.names;
  const seen = new Set<string>();
  const byCable = cables.map((c) => {
    if (c.tier !== "leaf") return undefined;
    const server = serverName(names[c.a]);
    seen.add(server);
    return owner.get(server);
  });
  for (const s of owner.keys()) {
    if (!seen.has(s))
      throw new WeftError(
        `tenants: no server named ${s} has a scale-out port (names as weft plan --names prints them, without -a<i>)`,
      );
  }
  return (k) => byCable[k];
}

/** VRF per leaf cable for the SONiC export; fails before any config is made when two tenants would share one. */
export function vrfOfCableFn(owner: TenantServers) {
  const vrfs = vrfNames(new Set(owner.values()));
  return (fabric: Fabric, cables: Cable[]) => {
    const tenantOf = tenantOfCableFn(owner, fabric, cables);
    return (k: number) => {
      const t = tenantOf(k);
      return t === undefined ? undefined : vrfs.get(t);
    };
  };
}

/** Each tenant's InfiniBand partition key, tenants in name order (so a key does not depend on file order). */
export function partitionKeys(owner: TenantServers): Map<string, string> {
  const tenants = [...new Set(owner.values())].sort();
  return new Map(tenants.map((t, i) => [t, partitionKey(i)]));
}

/** Partition key per leaf cable: the label of an InfiniBand host port (its endpoint's tenant's key). */
export function partitionKeyOfCableFn(owner: TenantServers) {
  const keys = partitionKeys(owner);
  return (fabric: Fabric, cables: Cable[]) => {
    const tenantOf = tenantOfCableFn(owner, fabric, cables);
    return (k: number) => {
      const t = tenantOf(k);
      return t === undefined ? undefined : keys.get(t);
    };
  };
}
