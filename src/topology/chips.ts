/**
 * Physical scale-up switch chips of a switched domain: ⌈D × links per accelerator / switchRadix⌉ with D the
 * designed domain size (a partial domain is provisioned like a full one) and links per accelerator =
 * ⌈bandwidth / switchPortBandwidth⌉. NVL72: 72 × 18 / 72 = 18; HGX B200: ⌈8 × 18 / 72⌉ = 2. HGX H100
 * boards carry 4 NVSwitch chips where the rule gives ⌈8 × 18 / 64⌉ = 3: BuildOptions.scaleUpSwitchesPerDomain
 * sets the count per group. Without a radix in the spec, one chip per domain.
 */
import type { ScaleUpSpec } from "../catalog/types.js";

export function scaleUpLinksPerAccelerator(spec: ScaleUpSpec): number {
  return spec.switchPortBandwidth ? Math.ceil(spec.bandwidth / spec.switchPortBandwidth - 1e-9) : 1;
}

export function scaleUpSwitchChips(spec: ScaleUpSpec, domain: number, override?: number): number {
  if (override !== undefined) return override;
  if (!spec.switchRadix) return 1;
  return Math.ceil((domain * scaleUpLinksPerAccelerator(spec)) / spec.switchRadix);
}
