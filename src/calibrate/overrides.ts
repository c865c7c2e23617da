/**
 * The catalog override file `weft calibrate` writes: a `hardware:` section over the cluster's own catalog
 * entries (its scale-up technology, its scale-out switch, its accelerator) that a scenario of the same
 * cluster takes as its own `hardware:` section, so every run of it uses the fitted constants.
 */
import { stringify } from "yaml";
import type { EfficiencyCurve } from "../catalog/types.js";
import type { Scenario } from "../scenario/types.js";
import type { ComputeFit } from "./fit-compute.js";
import type { LinkFit } from "./fit-links.js";

const round = (x: number, digits: number) => Number(x.toPrecision(digits));

function curveFields(c: EfficiencyCurve, source: string): Record<string, unknown> {
  return { gemmMax: round(c.gemmMax, 4), flash: round(c.flash, 4), source };
}

export function overridesDocument(
  scenario: Scenario,
  links: LinkFit | undefined,
  compute: ComputeFit | undefined,
  source: string,
): Record<string, unknown> {
  const hardware: Record<string, Record<string, Record<string, unknown>>> = {};
  const put = (kind: string, id: string, fields: Record<string, unknown>) => {
    hardware[kind] ??= {};
    hardware[kind][id] = { ...hardware[kind][id], ...fields };
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

export function overridesYaml(doc: Record<string, unknown>, header: string): string {
  const comment = header
    .split("\n")
    .map((l) => `# ${l}`.trimEnd())
    .join("\n");
  return `${comment}\n${stringify(doc)}`;
}
