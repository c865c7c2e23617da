/**
 * Scale-up partitions: cutting a scale-up domain into isolated parts, as NVLink partitions of an NVL72
 * rack or virtual pods of a UALink pod are cut (docs/fabric-manager.md).
 * - NVLink, multi-node domain (NVL72-class: 18 compute trays of 4 GPUs behind NVSwitch trays): partitions
 *   are whole compute trays (4, 8, …, 72 GPUs), or 1 or 2 GPUs of one tray — GPUs of one tray share its
 *   trays' NVLink ports, so a tray is the unit the NVSwitch routing tables isolate (NVIDIA GB200 NVL
 *   Partition User Guide; NVIDIA Mission Control "NVLink SDN partitioning" templates cut by tray);
 * - NVLink inside one server (HGX, 8 GPUs on NVSwitch): 1, 2, 4 or 8 GPUs, aligned (NVIDIA Fabric Manager
 *   shared-NVSwitch partitions);
 * - UALink (and any other switched scale-up, such as an Ethernet scale-up): any subset of a pod's
 *   accelerators (a virtual pod);
 * - meshes and rings are not partitioned (their links are fixed pairs).
 * A partition keeps each member's full scale-up bandwidth: the domain's switches are non-blocking and a
 * partition only narrows which members reach which, so its members' links carry only its own traffic.
 */
import { WeftError } from "../../errors.js";
import type { Fabric } from "../../topology/fabric.js";
import { ScaleUpTopologyCode } from "../../topology/layout.js";

export interface ScaleUpPartition {
  name: string;
  domain: number;
  /** Global accelerator ranks of the partition. */
  ranks: Int32Array;
  /** Per member, per direction, bytes/s; and all members together. */
  bandwidthPerAccelerator: number;
  bandwidth: number;
}

export type PartitionRule =
  | { kind: "trays"; tray: number; domain: number }
  | { kind: "aligned-powers"; domain: number }
  | { kind: "any"; domain: number }
  | { kind: "none"; domain: number };

export type ScaleUpFamily = "nvlink" | "ualink" | "other";

/** NVLink for NVIDIA accelerators or an `nvlink*` scale-up, UALink for `ualink*`, else another switched fabric. */
export function scaleUpFamily(scaleUpId: string, acceleratorVendor: string | undefined): ScaleUpFamily {
  if (/^ualink/i.test(scaleUpId)) return "ualink";
  if (/^nvlink/i.test(scaleUpId) || /nvidia/i.test(acceleratorVendor ?? "")) return "nvlink";
  return "other";
}

/** How a domain may be cut: from its scale-up family and whether it spans servers. */
export function partitionRule(
  fabric: Fabric,
  domain: number,
  family: ScaleUpFamily,
  perServer: number,
): PartitionRule {
  const layout = fabric.layout?.domains;
  if (!layout) throw new WeftError("partitions: the fabric has no scale-up layout");
  const size = layout.firstRank[domain + 1] - layout.firstRank[domain];
  if (layout.topology[domain] !== ScaleUpTopologyCode.switch) return { kind: "none", domain: size };
  if (family !== "nvlink") return { kind: "any", domain: size };
  if (size > perServer) return { kind: "trays", tray: perServer, domain: size };
  return { kind: "aligned-powers", domain: size };
}

export function allowedSizes(rule: PartitionRule): number[] {
  const out: number[] = [];
  if (rule.kind === "none") return [rule.domain];
  if (rule.kind === "any") {
    for (let s = 1; s <= rule.domain; s++) out.push(s);
    return out;
  }
  if (rule.kind === "aligned-powers") {
    for (let s = 1; s <= rule.domain; s *= 2) out.push(s);
    if (out.at(-1) !== rule.domain) out.push(rule.domain);
    return out;
  }
  for (let s = 1; s < rule.tray; s *= 2) out.push(s);
  for (let s = rule.tray; s <= rule.domain; s += rule.tray) out.push(s);
  return out;
}

function describeRule(rule: PartitionRule): string {
  if (rule.kind === "none") return "this scale-up fabric (a mesh or ring) is not partitioned";
  if (rule.kind === "any") return `any size from 1 to ${rule.domain}`;
  if (rule.kind === "aligned-powers") return `${allowedSizes(rule).join(", ")} accelerators, aligned`;
  return `whole trays of ${rule.tray} (${rule.tray}, ${2 * rule.tray}, …, ${rule.domain}) or ${allowedSizes(
    rule,
  )
    .filter((s) => s < rule.tray)
    .join(" or ")} accelerators of one tray`;
}

/**
 * Cuts domain `domain` into partitions of the given sizes, in order from its first accelerator (each
 * aligned to its size where the rule asks). Throws a WeftError naming the allowed sizes otherwise.
 */
export function cutPartitions(
  fabric: Fabric,
  domain: number,
  sizes: number[],
  scaleUp: { family: ScaleUpFamily; bandwidth: number },
  perServer: number,
): ScaleUpPartition[] {
  const rule = partitionRule(fabric, domain, scaleUp.family, perServer);
  const allowed = new Set(allowedSizes(rule));
  const layout = fabric.layout!.domains;
  const first = layout.firstRank[domain];
  let offset = 0;
  return sizes.map((size, i) => {
    if (!allowed.has(size)) {
      throw new WeftError(
        `partition ${i} of domain ${domain}: ${size} accelerators is not a partition the hardware allows; allowed: ${describeRule(rule)}`,
      );
    }
    const align = rule.kind === "any" ? 1 : rule.kind === "trays" ? Math.min(size, rule.tray) : size;
    offset = Math.ceil(offset / align) * align;
    if (offset + size > rule.domain) {
      throw new WeftError(
        `partitions of domain ${domain}: ${sizes.join(" + ")} accelerators do not fit its ${rule.domain} (aligned as the hardware needs)`,
      );
    }
    const ranks = Int32Array.from({ length: size }, (_, k) => first + offset + k);
    offset += size;
    return {
      name: `d${domain}-p${i}`,
      domain,
      ranks,
      bandwidthPerAccelerator: scaleUp.bandwidth,
      bandwidth: scaleUp.bandwidth * size,
    };
  });
}
