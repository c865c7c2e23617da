/**
 * Node groups: catalog look-ups and defaults. Accelerator groups resolve their accelerator and scale-up
 * fabric; memory, storage and host groups are plain NIC endpoints and take no accelerator keys.
 */
import { findEntry } from "../catalog/find.js";
import type { AcceleratorSpec, Catalog, ScaleUpSpec } from "../catalog/types.js";
import { at, type Ctx, fail, n } from "./context.js";
import type { RawGroup } from "./schema.js";
import { humanPath } from "./source-map.js";
import type { GroupSpec } from "./types.js";

/** Default scale-out NIC: 400 Gb/s per direction. */
export const DEFAULT_NIC_BANDWIDTH = 400e9 / 8;
/** One-way latency of an inline scale-up fabric that does not give one (the catalog's assumption). */
export const DEFAULT_SCALE_UP_LATENCY = 500e-9;

const ACCELERATOR_KEYS = ["accelerator", "acceleratorsPerNode", "scaleUp"] as const;
const MEDIA_KEYS = ["capacity", "mediaBandwidth"] as const;

export function normalizeGroups(
  raw: RawGroup[],
  catalog: Catalog,
  priceOverride: number | undefined,
  ctx: Ctx,
): GroupSpec[] {
  const firstSeen = new Map<string, number>();
  return raw.map((g, i) => {
    const path = ["cluster", "groups", i];
    const earlier = firstSeen.get(g.name);
    if (earlier !== undefined) {
      fail(
        ctx,
        [...path, "name"],
        `group name "${g.name}" is used by cluster.groups[${earlier}] and cluster.groups[${i}]; group names must be unique`,
      );
    }
    firstSeen.set(g.name, i);
    return (g.kind ?? "accelerator") === "accelerator"
      ? acceleratorGroup(g, path, catalog, priceOverride, ctx)
      : endpointGroup(g, path, ctx);
  });
}

function endpointGroup(g: RawGroup, path: (string | number)[], ctx: Ctx): GroupSpec {
  const kind = g.kind ?? "host";
  for (const key of ACCELERATOR_KEYS) {
    if (g[key] !== undefined) {
      fail(
        ctx,
        [...path, key],
        `"${key}" does not apply to a ${kind} group (${humanPath(path)}, "${g.name}"); ` +
          `accelerator, acceleratorsPerNode and scaleUp are only for kind: accelerator`,
        "key",
      );
    }
  }
  if (kind === "host") {
    for (const key of MEDIA_KEYS) {
      if (g[key] !== undefined) {
        fail(
          ctx,
          [...path, key],
          `"${key}" applies to memory and storage groups, not to host group "${g.name}"`,
          "key",
        );
      }
    }
  }
  const nics = { count: g.nics?.count ?? 1, bandwidth: g.nics?.bandwidth ?? DEFAULT_NIC_BANDWIDTH };
  const media = kind === "host" ? {} : { mediaBandwidth: g.mediaBandwidth ?? nics.count * nics.bandwidth };
  return {
    name: g.name,
    kind,
    nodes: g.nodes,
    acceleratorsPerNode: 0,
    nics,
    ...(g.capacity !== undefined ? { capacity: g.capacity } : {}),
    ...media,
    priceUsdPerHour: 0,
  };
}

function acceleratorGroup(
  g: RawGroup,
  path: (string | number)[],
  catalog: Catalog,
  priceOverride: number | undefined,
  ctx: Ctx,
): GroupSpec {
  for (const key of MEDIA_KEYS) {
    if (g[key] !== undefined) {
      fail(
        ctx,
        [...path, key],
        `"${key}" applies to memory and storage groups; group "${g.name}" is an accelerator group (set kind: memory or kind: storage)`,
        "key",
      );
    }
  }
  if (g.accelerator === undefined) {
    fail(
      ctx,
      path,
      `missing required key "accelerator" in ${humanPath(path)} ("${g.name}"); expected a catalog id such as ` +
        `${Object.keys(catalog.accelerators).slice(0, 4).join(", ")} (or kind: memory | storage | host for other endpoints)`,
    );
  }
  const accelerator = findEntry(catalog, "accelerators", g.accelerator, at(ctx, [...path, "accelerator"]));
  const perNode = g.acceleratorsPerNode ?? accelerator.perNode;
  const scaleUp = resolveScaleUp(g, path, accelerator, perNode, catalog, ctx);
  return {
    name: g.name,
    kind: "accelerator",
    nodes: g.nodes,
    acceleratorsPerNode: perNode,
    accelerator,
    scaleUp,
    nics: { count: g.nics?.count ?? perNode, bandwidth: g.nics?.bandwidth ?? DEFAULT_NIC_BANDWIDTH },
    priceUsdPerHour: priceOverride ?? accelerator.priceUsdPerHour,
  };
}

/** The group's scale-up fabric: a catalog id, an inline object (optionally based on an id), or the accelerator's default. */
function resolveScaleUp(
  g: RawGroup,
  path: (string | number)[],
  accelerator: AcceleratorSpec,
  perNode: number,
  catalog: Catalog,
  ctx: Ctx,
): ScaleUpSpec {
  const supPath = [...path, "scaleUp"];
  const raw = g.scaleUp;
  let base: ScaleUpSpec;
  let explicitDomain: number | undefined;
  let inline = false;
  if (raw === undefined) {
    base = findEntry(catalog, "scaleUp", accelerator.scaleUp, at(ctx, [...path, "accelerator"]));
  } else if (typeof raw === "string") {
    base = findEntry(catalog, "scaleUp", raw, at(ctx, supPath));
  } else {
    explicitDomain = raw.domain;
    if (raw.id !== undefined) {
      base = findEntry(catalog, "scaleUp", raw.id, at(ctx, [...supPath, "id"]));
    } else {
      if (raw.bandwidth === undefined) {
        fail(
          ctx,
          supPath,
          `missing required key "bandwidth" in ${humanPath(supPath)}; an inline scale-up fabric needs its per-accelerator, ` +
            "per-direction bandwidth (such as 450GB/s), or an id to start from (such as id: nvlink4)",
        );
      }
      base = inlineBase(g.name, raw.bandwidth, perNode);
      inline = true;
    }
    base = {
      ...base,
      ...(raw.bandwidth !== undefined ? { bandwidth: raw.bandwidth } : {}),
      ...(raw.latency !== undefined ? { latency: raw.latency } : {}),
      ...(raw.topology !== undefined ? { topology: raw.topology } : {}),
      ...(raw.inNetworkReduction !== undefined ? { inNetworkReduction: raw.inNetworkReduction } : {}),
    };
  }
  const accelerators = g.nodes * perNode;
  const domain = explicitDomain ?? (base.multiNode ? Math.min(base.domain, accelerators) : perNode);
  checkDomain(g, path, base, domain, explicitDomain !== undefined, perNode, accelerators, ctx);
  // An inline fabric's largest domain is the one it was given.
  return { ...base, domain, maxDomain: inline ? domain : base.maxDomain };
}

function inlineBase(group: string, bandwidth: number, perNode: number): ScaleUpSpec {
  return {
    id: `${group}-scale-up`,
    name: `inline scale-up fabric of group ${group}`,
    vendor: "custom",
    source: "scenario file",
    bandwidth,
    latency: DEFAULT_SCALE_UP_LATENCY,
    topology: "switch",
    domain: perNode,
    maxDomain: Number.MAX_SAFE_INTEGER,
    inNetworkReduction: false,
  };
}

function checkDomain(
  g: RawGroup,
  path: (string | number)[],
  spec: ScaleUpSpec,
  domain: number,
  explicit: boolean,
  perNode: number,
  accelerators: number,
  ctx: Ctx,
): void {
  const where = explicit ? [...path, "scaleUp", "domain"] : path;
  if (domain > spec.maxDomain) {
    fail(
      ctx,
      where,
      `scale-up domain of ${n(domain)} accelerators in group "${g.name}" exceeds the ${n(spec.maxDomain)} that ${spec.id} supports`,
    );
  }
  if (domain % perNode !== 0 && perNode % domain !== 0) {
    fail(
      ctx,
      where,
      `scale-up domain ${domain} of group "${g.name}" neither divides nor is a multiple of its ${perNode} accelerators per node; ` +
        "a domain is part of a node or a set of whole nodes",
    );
  }
  if (accelerators % domain !== 0) {
    fail(
      ctx,
      where,
      `group "${g.name}" has ${n(accelerators)} accelerators (${n(g.nodes)} nodes × ${perNode}), not a whole number of ` +
        `scale-up domains of ${domain}; change nodes, or set scaleUp: { id: ${spec.id}, domain: ... }`,
    );
  }
}
