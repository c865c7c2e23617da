/**
 * `weft plan`: the built fabric as SCENARIO-v1's `weft plan FILE --json` object (switches and cables by tier,
 * optics by catalog id, cost and power, warnings, plus tiers, accelerators, endpoints and links), and the
 * same as an aligned terminal table.
 */
import type { Scenario } from "../scenario/types.js";
import { computeBom } from "../topology/bom.js";
import type { BillOfMaterials, Fabric } from "../topology/fabric.js";
import { endpointCount, fabricSummary } from "../topology/summary.js";
import { formatCount, formatPower, formatUsd } from "../units/index.js";
import { formatTable } from "./table.js";

export { fabricSummary };

export interface PlanSummary {
  scenario?: string;
  /** Scale-out tiers built (0 when nothing is attached to a scale-out fabric). */
  tiers: number;
  accelerators: number;
  /** Accelerators, memory, storage and host endpoints. */
  endpoints: number;
  /** Bidirectional links: cables, scale-up links and host (PCIe) links. */
  links: number;
  switches: Record<string, number>;
  cables: Record<string, number>;
  optics: Record<string, number>;
  costUsd: BillOfMaterials["costUsd"];
  powerW: BillOfMaterials["powerW"];
  unusedPorts: BillOfMaterials["unusedPorts"];
  warnings: string[];
}

/**
 * The plan of a built fabric. With the scenario, the bill of materials is priced with the scenario's
 * catalog (its `hardware` overrides included); otherwise the fabric's own bill is used.
 */
export function planSummary(
  fabric: Fabric,
  scenario?: Pick<Scenario, "name" | "cluster" | "catalog">,
): PlanSummary {
  const bom =
    scenario?.catalog && fabric.layout ? computeBom(fabric, scenario.cluster, scenario.catalog) : fabric.bom;
  return {
    ...(scenario?.name !== undefined ? { scenario: scenario.name } : {}),
    tiers: fabric.tiers,
    accelerators: fabric.accelerators.count,
    endpoints: endpointCount(fabric),
    links: fabric.links.count / 2,
    switches: { ...bom.switches },
    cables: { ...bom.cables },
    optics: { ...bom.optics },
    costUsd: { ...bom.costUsd },
    powerW: { ...bom.powerW },
    unusedPorts: structuredClone(bom.unusedPorts),
    warnings: [...bom.warnings],
  };
}

const PARTS = ["switches", "optics", "nics", "accelerators"] as const;

/** The plan as terminal text: one aligned table of counts, cost and power, then the warnings. */
export function formatPlanTable(s: PlanSummary): string {
  const rows: string[][] = [];
  const section = (name: string, entries: [string, string][]) => {
    entries.forEach(([k, v], i) => {
      rows.push([i === 0 ? name : "", k, v]);
    });
  };
  section("fabric", [
    ["scale-out tiers", String(s.tiers)],
    ["accelerators", formatCount(s.accelerators)],
    ["endpoints", formatCount(s.endpoints)],
    ["links", formatCount(s.links)],
  ]);
  section(
    "switches",
    Object.entries(s.switches).map(([k, v]) => [k, formatCount(v)]),
  );
  section(
    "cables",
    Object.entries(s.cables).map(([k, v]) => [k, formatCount(v)]),
  );
  const optics = Object.entries(s.optics).sort(([a], [b]) => a.localeCompare(b));
  section("optics", optics.length ? optics.map(([k, v]) => [k, formatCount(v)]) : [["none", "0"]]);
  section(
    "ports unused",
    Object.entries(s.unusedPorts).map(([k, p]) => [k, `${formatCount(p.unused)} of ${formatCount(p.total)}`]),
  );
  // The built-in catalog has no purchase price for accelerators: their cost row shows only when one was given.
  const priced = PARTS.filter((p) => p !== "accelerators" || s.costUsd.accelerators > 0);
  section("cost", [
    ...priced.map((p): [string, string] => [p, formatUsd(s.costUsd[p])]),
    ["total", formatUsd(s.costUsd.total)],
  ]);
  section("power", [
    ...PARTS.map((p): [string, string] => [p, formatPower(s.powerW[p])]),
    ["total", formatPower(s.powerW.total)],
  ]);
  const title = s.scenario ? `${s.scenario}\n\n` : "";
  const table = formatTable(["", "item", { header: "count / amount", align: "right" }], rows);
  const warnings = s.warnings.length ? `\n\nwarnings:\n${s.warnings.map((w) => `  - ${w}`).join("\n")}` : "";
  return `${title}${table}${warnings}`;
}
