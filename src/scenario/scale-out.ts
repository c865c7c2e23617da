/**
 * The scale-out fabric: switch, oversubscription, and `tiers: auto` resolved to the fewest Clos tiers
 * whose capacity (src/topology/capacity.ts) holds every endpoint port of one plane.
 */
import { findEntry } from "../catalog/find.js";
import { assumedSwitchFigures } from "../catalog/switches.js";
import type { Catalog, SwitchSpec } from "../catalog/types.js";
import { formatLineRate } from "../units/index.js";
import { fewestTiers, maxEndpointPorts } from "./clos-capacity.js";
import { at, type Ctx, fail, n } from "./context.js";
import type { RawScaleOut, RawTransport } from "./schema.js";
import type { GroupSpec, ScaleOutSpec, TransportSpec } from "./types.js";

export const DEFAULT_SWITCH = "QM9700";
export const DEFAULT_LINK_LATENCY = 500e-9;
const INLINE_SWITCH_LATENCY = 600e-9;

const SO = ["cluster", "scaleOut"];

export function normalizeScaleOut(
  raw: RawScaleOut | undefined,
  groups: GroupSpec[],
  catalog: Catalog,
  ctx: Ctx,
): ScaleOutSpec {
  const topology = raw?.topology ?? "fat-tree";
  const sw = resolveSwitch(raw?.switch, catalog, ctx);
  const o = raw?.oversubscription;
  const oversubscription =
    typeof o === "number" ? { leaf: o, spine: 1 } : { leaf: o?.leaf ?? 1, spine: o?.spine ?? 1 };
  const planes = raw?.planes ?? 1;
  if (topology === "rail-optimized" || topology === "rail-only") checkRails(topology, groups, ctx);
  const tiers = resolveTiers(raw, topology, sw, oversubscription, groups, ctx);
  // A NIC reaches every plane with an equal share of its bandwidth.
  for (const g of groups) {
    const perPlane = g.nics.bandwidth / planes;
    if (perPlane > sw.portBandwidth) {
      ctx.warnings.push(
        `group "${g.name}": its NICs put ${formatLineRate(perPlane)} into each plane, more than the ${formatLineRate(sw.portBandwidth)} ports of switch ${sw.id}; they run at the port speed`,
      );
    }
  }
  return {
    topology,
    tiers,
    switch: sw,
    oversubscription,
    linkLatency: raw?.linkLatency ?? DEFAULT_LINK_LATENCY,
    planes,
    inNetworkReduction: inNetworkReductionOf(raw, sw, ctx),
  };
}

/** `inNetworkReduction: true` needs a switch that reduces (catalog `inNetworkReduction`). */
function inNetworkReductionOf(raw: RawScaleOut | undefined, sw: SwitchSpec, ctx: Ctx): boolean {
  const on = raw?.inNetworkReduction ?? false;
  if (on && !sw.inNetworkReduction) {
    fail(
      ctx,
      [...SO, "inNetworkReduction"],
      `switch ${sw.id} does not reduce in the network; expected a switch with in-network reduction ` +
        "(QM8700, QM9700, Q3400-144x800G, TH-Ultra-64x800G) or inNetworkReduction: false",
    );
  }
  return on;
}

function resolveSwitch(raw: RawScaleOut["switch"], catalog: Catalog, ctx: Ctx): SwitchSpec {
  const path = [...SO, "switch"];
  if (raw === undefined) return findEntry(catalog, "switches", DEFAULT_SWITCH);
  if (typeof raw === "string") return findEntry(catalog, "switches", raw, at(ctx, path));
  let base: SwitchSpec;
  if (raw.id !== undefined) {
    base = findEntry(catalog, "switches", raw.id, at(ctx, [...path, "id"]));
  } else {
    if (raw.radix === undefined || raw.portBandwidth === undefined) {
      const lacking = raw.radix === undefined ? "radix" : "portBandwidth";
      fail(
        ctx,
        path,
        `missing required key "${lacking}" in cluster.scaleOut.switch; an inline switch needs radix and portBandwidth ` +
          "(such as { radix: 64, portBandwidth: 400Gbps }), or an id to start from (such as id: TH5-64x800G)",
      );
    }
    base = {
      id: "custom-switch",
      name: `custom ${raw.radix}-port switch`,
      vendor: "custom",
      source: "scenario file",
      radix: raw.radix,
      portBandwidth: raw.portBandwidth,
      latency: INLINE_SWITCH_LATENCY,
      ...assumedSwitchFigures(raw.radix, raw.portBandwidth),
    };
  }
  const merged: SwitchSpec = { ...base };
  if (raw.radix !== undefined) merged.radix = raw.radix;
  if (raw.portBandwidth !== undefined) merged.portBandwidth = raw.portBandwidth;
  if (raw.latency !== undefined) merged.latency = raw.latency;
  if (raw.buffer !== undefined) merged.buffer = raw.buffer;
  if (raw.powerW !== undefined) merged.powerW = raw.powerW;
  if (raw.priceUsd !== undefined) merged.priceUsd = raw.priceUsd;
  if (raw.inNetworkReduction !== undefined) merged.inNetworkReduction = raw.inNetworkReduction;
  return merged;
}

/** Rail topologies put NIC i of every node on rail i: every accelerator group needs one NIC per accelerator. */
function checkRails(topology: string, groups: GroupSpec[], ctx: Ctx): void {
  let rails: number | undefined;
  groups.forEach((g, i) => {
    if (g.kind !== "accelerator") return;
    if (g.nics.count !== g.acceleratorsPerNode) {
      fail(
        ctx,
        ["cluster", "groups", i, "nics"],
        `${topology} needs one NIC per accelerator (NIC i of every node on rail i), but group "${g.name}" has ` +
          `${g.acceleratorsPerNode} accelerators per node and ${g.nics.count} NICs; set nics.count: ${g.acceleratorsPerNode} or use topology: fat-tree`,
      );
    }
    if (rails !== undefined && rails !== g.acceleratorsPerNode) {
      fail(
        ctx,
        ["cluster", "groups", i, "acceleratorsPerNode"],
        `${topology} needs the same number of rails in every accelerator group; group "${g.name}" has ${g.acceleratorsPerNode} ` +
          `accelerators (rails) per node, an earlier group ${rails}`,
      );
    }
    rails = g.acceleratorsPerNode;
  });
  if (rails === undefined)
    fail(ctx, ["cluster", "groups"], `${topology} needs at least one accelerator group`);
}

/** Endpoint ports in one plane: every NIC of every node. */
export function endpointPorts(groups: GroupSpec[]): number {
  return groups.reduce((sum, g) => sum + g.nodes * g.nics.count, 0);
}

function portsBreakdown(groups: GroupSpec[]): string {
  return groups.map((g) => `${g.name}: ${n(g.nodes)} nodes × ${g.nics.count} NICs`).join(", ");
}

function resolveTiers(
  raw: RawScaleOut | undefined,
  topology: ScaleOutSpec["topology"],
  sw: SwitchSpec,
  os: { leaf: number; spine: number },
  groups: GroupSpec[],
  ctx: Ctx,
): 1 | 2 | 3 {
  const total = endpointPorts(groups);
  const tiersPath = [...SO, "tiers"];
  const given = raw?.tiers === undefined || raw.tiers === "auto" ? undefined : raw.tiers;
  if (topology === "single-switch") {
    if (given !== undefined && given !== 1)
      fail(
        ctx,
        tiersPath,
        `topology single-switch has 1 tier, not ${given}; leave tiers out or set tiers: 1`,
      );
    if (total > sw.radix) {
      ctx.warnings.push(
        `single-switch: ${n(total)} endpoint ports exceed the ${sw.radix}-port radix of ${sw.id}; it is modeled as one non-blocking switch of ${n(total)} ports`,
      );
    }
    return 1;
  }
  // Rail-only fabrics have no spine joining the rails: each rail is its own network of one port per node.
  const rails =
    topology === "rail-only" ? groups.find((g) => g.kind === "accelerator")!.acceleratorsPerNode : 1;
  const ports = Math.ceil(total / rails);
  const what = `${n(ports)} endpoint ports per ${rails > 1 ? "rail" : "plane"} (${portsBreakdown(groups)}${rails > 1 ? `, over ${rails} rails` : ""})`;
  const fabric = (t: number) =>
    `${t} tier${t > 1 ? "s" : ""} of ${sw.id} (radix ${sw.radix}, oversubscription ${os.leaf}:1 leaf, ${os.spine}:1 spine)`;
  const fits3 = maxEndpointPorts(sw.radix, 3, os);
  if (ports > fits3) {
    const where = raw?.switch !== undefined ? [...SO, "switch"] : raw !== undefined ? SO : ["cluster"];
    fail(
      ctx,
      where,
      `impossible topology: ${what} exceed the ${n(fits3)} that ${fabric(3)} can connect; ` +
        "use a switch with a higher radix, more oversubscription, or fewer nodes",
    );
  }
  if (given !== undefined) {
    const cap = maxEndpointPorts(sw.radix, given, os);
    if (ports > cap) {
      const enough = fewestTiers(ports, sw.radix, os)!;
      fail(
        ctx,
        tiersPath,
        `${fabric(given)} hold at most ${n(cap)} endpoint ports, but this cluster has ${what}; use tiers: ${enough} or tiers: auto`,
      );
    }
    return given;
  }
  return fewestTiers(ports, sw.radix, os)!;
}

export function normalizeTransport(raw: RawTransport | undefined, ctx: Ctx): TransportSpec {
  if (raw?.ecn && raw.ecn.min > raw.ecn.max) {
    fail(
      ctx,
      ["cluster", "transport", "ecn"],
      `ecn.min (${raw.ecn.min} B) is above ecn.max (${raw.ecn.max} B); expected min ≤ max`,
    );
  }
  return {
    loadBalancing: raw?.loadBalancing ?? "ecmp",
    congestionControl: raw?.congestionControl ?? "dcqcn",
    mtu: raw?.mtu ?? 4096,
    ...(raw?.ecn ? { ecn: { min: raw.ecn.min, max: raw.ecn.max } } : {}),
    trimming: raw?.trimming ?? false,
    pfc: raw?.pfc ?? false,
  };
}
