/**
 * Bill of materials of a built fabric: switches by tier, cables by the tier of their upper end, optics by
 * catalog id, cost and power totals, and warnings (unused ports, radix exceeded, unpriced items).
 *
 * - Scale-out switches: one per leaf/spine/core node, price and power from the SwitchSpec.
 * - Scale-up switch chips: the layout's count per `switch` domain (chips.ts).
 * - Cables: leaf/spine/core = scale-out cables (each plane link is its own cable); scaleUp = accelerator
 *   links (switch: D × links per accelerator, mesh: pairs, ring: neighbours); host (PCIe) links are not cables.
 * - Optics and cables: cable-parts.ts (media by run length, optics.ts's rule). NICs: one per NIC port, the
 *   catalog NIC of that port speed.
 * - Accelerators: power from the AcceleratorSpec; capital cost from its purchase price (`priceUsd`) when the
 *   catalog or the scenario gives one (the built-in catalog has hourly prices only), else named as unpriced.
 * - Unused ports: per switch tier, radix minus the links attached (scale-up chips: chips × radix minus
 *   D × links per accelerator).
 */
import type { Catalog, NicSpec, OpticSpec } from "../catalog/types.js";
import type { ClusterSpec } from "../scenario/types.js";
import { formatCount, formatLineRate } from "../units/index.js";
import { countCableParts } from "./cable-parts.js";
import { scaleUpLinksPerAccelerator } from "./chips.js";
import {
  type BillOfMaterials,
  type Fabric,
  LINK_TIER_NAMES,
  LinkTier,
  NodeKind,
  SwitchTier,
} from "./fabric.js";
import { ScaleUpTopologyCode } from "./layout.js";

/** The catalog parts that price a fabric: optics and NICs. */
export type PricingCatalog = Partial<Pick<Catalog, "optics" | "nics">>;

interface Totals {
  cost: { switches: number; optics: number; nics: number; accelerators: number };
  power: { switches: number; optics: number; nics: number; accelerators: number };
  unpriced: Set<string>;
  unpowered: Set<string>;
}

/** The bill of materials of a fabric built by buildFabric (it reads the fabric's layout). */
export function computeBom(
  fabric: Fabric,
  cluster: ClusterSpec,
  catalog: PricingCatalog = {},
): BillOfMaterials {
  const t: Totals = {
    cost: { switches: 0, optics: 0, nics: 0, accelerators: 0 },
    power: { switches: 0, optics: 0, nics: 0, accelerators: 0 },
    unpriced: new Set(),
    unpowered: new Set(),
  };
  const switches = switchCounts(fabric);
  const cables = scaleOutCables(fabric);
  const warnings = [...(fabric.layout?.warnings ?? [])];
  const sw = cluster.scaleOut.switch;
  const outCount = (switches.leaf ?? 0) + (switches.spine ?? 0) + (switches.core ?? 0);
  add(t, "switches", outCount, sw.priceUsd, sw.powerW, `switch ${sw.id}`);
  addScaleUp(fabric, cluster, cables, t);
  const optics = countOptics(fabric, cluster, catalog.optics, t);
  addNics(cluster, catalog.nics, t);
  // Accelerators: always powered; priced only by a purchase price (the catalog's hourly price is no capital cost).
  const unpricedAccelerators = new Set<string>();
  for (const g of cluster.groups) {
    if (g.kind !== "accelerator" || !g.accelerator) continue;
    const a = g.accelerator;
    const n = g.nodes * g.acceleratorsPerNode;
    t.power.accelerators += n * (a.powerW || 0);
    if (!(a.powerW > 0)) t.unpowered.add(`accelerator ${a.id}`);
    if (a.priceUsd !== undefined && a.priceUsd > 0) t.cost.accelerators += n * a.priceUsd;
    else unpricedAccelerators.add(a.id);
  }
  const unused = unusedPorts(fabric, cluster, sw.radix);
  warnings.push(...unusedPortWarnings(unused));
  if (t.unpriced.size) warnings.push(`no price for ${[...t.unpriced].join(", ")}: cost leaves them out`);
  if (unpricedAccelerators.size)
    warnings.push(
      `no purchase price for accelerator ${[...unpricedAccelerators].join(", ")} (the catalog has hourly prices; set hardware.accelerators.<id>.priceUsd): capital cost leaves them out`,
    );
  if (t.unpowered.size)
    warnings.push(`no power figure for ${[...t.unpowered].join(", ")}: power leaves them out`);
  const sum = (o: Totals["cost"]) => o.switches + o.optics + o.nics + o.accelerators;
  return {
    switches,
    cables,
    optics,
    costUsd: { ...t.cost, total: sum(t.cost) },
    powerW: { ...t.power, total: sum(t.power) },
    unusedPorts: unused,
    warnings,
  };
}

function add(
  t: Totals,
  what: keyof Totals["cost"],
  count: number,
  price: number,
  power: number,
  label: string,
  unpowered = false,
): void {
  if (count <= 0) return;
  if (price > 0) t.cost[what] += count * price;
  else t.unpriced.add(label);
  if (power > 0) t.power[what] += count * power;
  else if (!unpowered) t.unpowered.add(label);
}

/**
 * The switches of a fabric by tier, scale-up chips included: the bill of materials' `switches`, without
 * pricing cables and optics (what every run's fabric summary reads).
 */
export function switchCounts(fabric: Fabric): Record<string, number> {
  const switches = scaleOutSwitches(fabric);
  const domains = fabric.layout?.domains;
  if (!domains) return switches;
  for (let d = 0; d < domains.count; d++)
    if (domains.topology[d] === ScaleUpTopologyCode.switch) switches.scaleUp += domains.chips[d];
  return switches;
}

function scaleOutSwitches(fabric: Fabric): Record<string, number> {
  const { kind, tier } = fabric.nodes;
  const counts = [0, 0, 0, 0, 0];
  for (let v = 0; v < fabric.nodes.count; v++) if (kind[v] === NodeKind.switch) counts[tier[v]]++;
  const out: Record<string, number> = { leaf: counts[SwitchTier.leaf] };
  if (fabric.tiers >= 2 || counts[SwitchTier.spine]) out.spine = counts[SwitchTier.spine];
  if (fabric.tiers >= 3 || counts[SwitchTier.core]) out.core = counts[SwitchTier.core];
  out.scaleUp = 0;
  return out;
}

function scaleOutCables(fabric: Fabric): Record<string, number> {
  const counts = [0, 0, 0, 0, 0];
  const { tier, up } = fabric.links;
  for (let l = 0; l < fabric.links.count; l += 2) if (up[l]) counts[tier[l]]++;
  const out: Record<string, number> = { leaf: counts[LinkTier.leaf] };
  if (fabric.tiers >= 2 || counts[LinkTier.spine])
    out[LINK_TIER_NAMES[LinkTier.spine]] = counts[LinkTier.spine];
  if (fabric.tiers >= 3 || counts[LinkTier.core]) out[LINK_TIER_NAMES[LinkTier.core]] = counts[LinkTier.core];
  out.scaleUp = 0;
  return out;
}

/** Scale-up cables, and the switch chips' price and power (switchCounts counts the chips). */
function addScaleUp(fabric: Fabric, cluster: ClusterSpec, cables: Record<string, number>, t: Totals): void {
  const domains = fabric.layout?.domains;
  if (!domains) return;
  for (let d = 0; d < domains.count; d++) {
    const size = domains.firstRank[d + 1] - domains.firstRank[d];
    const group = cluster.groups[fabric.accelerators.group[domains.firstRank[d]]];
    const spec = group?.scaleUp;
    const topo = domains.topology[d];
    if (!spec || topo === ScaleUpTopologyCode.none) continue;
    if (topo === ScaleUpTopologyCode.mesh) cables.scaleUp += (size * (size - 1)) / 2;
    else if (topo === ScaleUpTopologyCode.ring) cables.scaleUp += size === 2 ? 1 : size;
    else {
      const chips = domains.chips[d];
      cables.scaleUp += size * scaleUpLinksPerAccelerator(spec);
      add(t, "switches", chips, spec.switchPriceUsd ?? 0, spec.switchPowerW ?? 0, `${spec.id} switch chip`);
    }
  }
}

/**
 * Optics and cables by catalog id (cable-parts.ts, the rule in optics.ts): transceivers priced per module
 * and powered per module; an assembly priced once per cable and powered at both ends.
 */
function countOptics(
  fabric: Fabric,
  cluster: ClusterSpec,
  catalog: Record<string, OpticSpec> | undefined,
  t: Totals,
): Record<string, number> {
  const parts = countCableParts(fabric, { optics: catalog, planes: cluster.scaleOut.planes });
  const out: Record<string, number> = {};
  for (const [id, p] of parts) {
    out[id] = p.count;
    const ends = p.assembly ? 2 : 1;
    // A passive DAC draws no power by design: zero is its figure, not a missing one.
    const passive = p.spec?.cable === "DAC";
    add(t, "optics", p.count, p.spec?.priceUsd ?? 0, ends * (p.spec?.powerW ?? 0), `optic ${id}`, passive);
  }
  return out;
}

function addNics(cluster: ClusterSpec, nics: Record<string, NicSpec> | undefined, t: Totals): void {
  for (const g of cluster.groups) {
    const ports = g.nodes * g.nics.count;
    if (!ports) continue;
    const spec = pickNic(nics, g.nics.bandwidth);
    const label = spec ? `NIC ${spec.id}` : `${formatLineRate(g.nics.bandwidth)} NIC`;
    add(t, "nics", ports, spec?.priceUsd ?? 0, spec?.powerW ?? 0, label);
  }
}

/** The catalog NIC of this port speed: the cheapest, then by id. */
export function pickNic(nics: Record<string, NicSpec> | undefined, bandwidth: number): NicSpec | undefined {
  let best: NicSpec | undefined;
  for (const n of Object.values(nics ?? {})) {
    if (Math.abs(n.bandwidth - bandwidth) > 1e-6 * bandwidth) continue;
    if (!best || n.priceUsd < best.priceUsd || (n.priceUsd === best.priceUsd && n.id < best.id)) best = n;
  }
  return best;
}

/** Unconnected switch ports by tier; scale-up chips count radix × chips against the links they carry. */
function unusedPorts(fabric: Fabric, cluster: ClusterSpec, radix: number): BillOfMaterials["unusedPorts"] {
  const free = [0, 0, 0, 0, 0];
  const total = [0, 0, 0, 0, 0];
  const { kind, tier } = fabric.nodes;
  for (let v = 0; v < fabric.nodes.count; v++) {
    if (kind[v] !== NodeKind.switch || tier[v] === SwitchTier.scaleUp) continue;
    const used = fabric.outStart[v + 1] - fabric.outStart[v];
    total[tier[v]] += radix;
    free[tier[v]] += Math.max(0, radix - used);
  }
  const out: BillOfMaterials["unusedPorts"] = {};
  for (const k of [SwitchTier.leaf, SwitchTier.spine, SwitchTier.core]) {
    if (total[k] > 0) out[TIER_NAMES[k]] = { unused: free[k], total: total[k] };
  }
  const scaleUp = scaleUpPorts(fabric, cluster);
  if (scaleUp.total > 0) out.scaleUp = scaleUp;
  return out;
}

const TIER_NAMES = ["", "", "leaf", "spine", "core"];

/** Ports of the scale-up switch chips (where the spec gives a radix) and those the accelerators use. */
function scaleUpPorts(fabric: Fabric, cluster: ClusterSpec): { unused: number; total: number } {
  const domains = fabric.layout?.domains;
  let total = 0;
  let used = 0;
  if (!domains) return { unused: 0, total };
  for (let d = 0; d < domains.count; d++) {
    const spec = cluster.groups[fabric.accelerators.group[domains.firstRank[d]]]?.scaleUp;
    if (!spec?.switchRadix || domains.topology[d] !== ScaleUpTopologyCode.switch) continue;
    const size = domains.firstRank[d + 1] - domains.firstRank[d];
    total += domains.chips[d] * spec.switchRadix;
    used += size * scaleUpLinksPerAccelerator(spec);
  }
  return { unused: Math.max(0, total - used), total };
}

function unusedPortWarnings(unused: BillOfMaterials["unusedPorts"]): string[] {
  return Object.entries(unused)
    .filter(([, p]) => p.unused > 0)
    .map(([tier, p]) => `${tier}: ${formatCount(p.unused)} of ${formatCount(p.total)} ports unused`);
}
