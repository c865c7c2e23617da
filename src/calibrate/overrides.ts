/**
 * The catalog override file `weft calibrate` writes: a `hardware:` section over the cluster's own catalog
 * entries (its scale-up technology, its scale-out switch, its accelerator) that a scenario of the same
 * cluster takes as its own `hardware:` section, so every run of it uses the fitted constants.
 */
import { stringify } from "yaml";
import type { CatalogKind } from "../catalog/find.js";
import { builtinCatalog } from "../catalog/index.js";
import type { EfficiencyCurve } from "../catalog/types.js";
import { scenarioDocument } from "../scenario/document.js";
import { scenarioError } from "../scenario/source-map.js";
import type { Scenario } from "../scenario/types.js";
import { formatBandwidth, formatLineRate } from "../units/index.js";
import type { ComputeFit } from "./fit-compute.js";
import type { LinkFit, LinkTier } from "./fit-links.js";

const round = (x: number, digits: number) => Number(x.toPrecision(digits));

function curveFields(c: EfficiencyCurve, source: string): Record<string, unknown> {
  return { gemmMax: round(c.gemmMax, 4), flash: round(c.flash, 4), source };
}

const unit = (q: string) => q.replace(" ", "");

type Entries = Record<string, Record<string, Record<string, unknown>>>;

/**
 * The entries the scenario's own `hardware:` adds to the built-in catalog, in full: a fitted constant on
 * one of them is written with its definition, so the file loads (and the entry exists) wherever it goes.
 */
function definedEntries(scenario: Scenario): Entries {
  const builtin = builtinCatalog();
  const all = (scenarioDocument(scenario).hardware ?? {}) as Entries;
  const out: Entries = {};
  for (const [kind, entries] of Object.entries(all)) {
    for (const [id, entry] of Object.entries(entries)) {
      if (builtin[kind as CatalogKind][id]) continue;
      out[kind] ??= {};
      out[kind][id] = entry;
    }
  }
  return out;
}

/**
 * Fails, at the scenario's line, when a tier the runs measure has inline hardware (`scaleUp: { bandwidth }`,
 * `switch: { radix, portBandwidth }`): `hardware:` overrides name catalog entries by id, and an inline
 * entry has none, so no override can reach it. Checked before fitting.
 */
export function checkOverrideTargets(scenario: Scenario, tiers: LinkTier[]): void {
  const gi = scenario.cluster.groups.findIndex((g) => g.kind === "accelerator");
  const up = scenario.cluster.groups[gi]?.scaleUp;
  if (up && !scenario.catalog.scaleUp[up.id] && tiers.some((t) => t !== "scaleOut")) {
    throw scenarioError(
      scenario,
      ["cluster", "groups", gi, "scaleUp"],
      `the runs measure this group's scale-up fabric, which is written inline (no catalog id), and calibrated constants go on catalog entries by id: no hardware: override can reach it. Give it an id: define it under hardware: (scaleUp: { my-scale-up: { bandwidth: ${unit(formatBandwidth(up.bandwidth))} } }) and write scaleUp: my-scale-up, or start from a catalog entry (scaleUp: { id: nvlink4, ... }); then run weft calibrate again`,
    );
  }
  const sw = scenario.cluster.scaleOut.switch;
  if (!scenario.catalog.switches[sw.id] && tiers.includes("scaleOut")) {
    throw scenarioError(
      scenario,
      ["cluster", "scaleOut", "switch"],
      `the runs measure the scale-out tier, whose switch is written inline (no catalog id), and calibrated constants go on catalog entries by id: no hardware: override can reach it. Give it an id: define it under hardware: (switches: { my-switch: { radix: ${sw.radix}, portBandwidth: ${unit(formatLineRate(sw.portBandwidth))} } }) and write switch: my-switch, or start from a catalog switch (switch: { id: QM9700, ... }); then run weft calibrate again`,
    );
  }
}

export function overridesDocument(
  scenario: Scenario,
  links: LinkFit | undefined,
  compute: ComputeFit | undefined,
  source: string,
): Record<string, unknown> {
  const hardware: Entries = {};
  const defined = definedEntries(scenario);
  const put = (kind: CatalogKind, id: string, fields: Record<string, unknown>) => {
    hardware[kind] ??= {};
    hardware[kind][id] = { ...(hardware[kind][id] ?? defined[kind]?.[id]), ...fields };
  };
  const group = scenario.cluster.groups.find((g) => g.kind === "accelerator");
  for (const t of links?.tiers ?? []) {
    const fields = {
      linkEfficiency: round(t.linkEfficiency, 4),
      stepLatency: `${round(t.stepLatencyS * 1e6, 4)}us`,
      notes: `calibrated by weft calibrate on ${source}`,
    };
    if (t.tier === "scaleUp" && group?.scaleUp) put("scaleUp", group.scaleUp.id, fields);
    if (t.tier === "inNetworkUp" && group?.scaleUp) {
      put("scaleUp", group.scaleUp.id, {
        inNetworkLinkEfficiency: fields.linkEfficiency,
        inNetworkStepLatency: fields.stepLatency,
        notes: fields.notes,
      });
    }
    if (t.tier === "scaleOut") put("switches", scenario.cluster.scaleOut.switch.id, fields);
  }
  if (compute) {
    const efficiency: Record<string, unknown> = {};
    for (const [precision, curve] of Object.entries(compute.curves)) {
      if (curve) efficiency[precision] = curveFields(curve, `weft calibrate on ${source}`);
    }
    if (Object.keys(efficiency).length > 0) put("accelerators", compute.accelerator, { efficiency });
  }
  return { hardware };
}

/** The file: `header` (its lines as comments), then the document. */
export function overridesYaml(doc: Record<string, unknown>, header: string): string {
  const comment = header
    .split("\n")
    .map((l) => `# ${l}`.trimEnd())
    .join("\n");
  return `${comment}\n${stringify(doc)}`;
}
