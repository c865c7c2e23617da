/**
 * `weft export --format cabling`: one CSV row per scale-out cable — its id, both ends (device and port),
 * tier, speed, media, and the parts: for fiber the transceiver at each end, for a cable assembly (DAC,
 * ACC, AOC) the assembly itself, with no transceivers; then the run length and its class. Media and parts
 * come from src/topology/cable-parts.ts, which the bill of materials counts with, so the two agree.
 */
import { stringify } from "csv-stringify/sync";
import type { OpticSpec } from "../../catalog/types.js";
import { eachCableParts } from "../../topology/cable-parts.js";
import type { Fabric } from "../../topology/fabric.js";
import { lengthClassM } from "../../topology/floor-plan.js";
import { formatLineRate } from "../../units/index.js";
import type { Cable } from "./cables.js";

export const CABLING_HEADER = [
  "id",
  "tier",
  "a_device",
  "a_port",
  "z_device",
  "z_port",
  "speed",
  "media",
  "a_transceiver",
  "z_transceiver",
  "length_m",
  "length_class_m",
  "cable_part",
] as const;

export interface CablingOptions {
  optics?: Record<string, OpticSpec>;
  /** Scale-out planes: a NIC port split into P ≥ 2 plane links takes a twin-port module. */
  planes: number;
}

export function cablingCsv(fabric: Fabric, cables: Cable[], options: CablingOptions): string {
  const { names } = fabric.nodes;
  const rows: string[][] = [];
  let k = 0;
  eachCableParts(fabric, options, (link, parts) => {
    const c = cables[k++];
    // Both walk the scale-out links in link order; a mismatch is a bug, not a user's mistake.
    if (c?.link !== link) throw new Error(`cabling: cable ${c?.id} is not link ${link}`);
    rows.push([
      c.id,
      c.tier,
      names[c.a],
      c.aPort,
      names[c.z],
      c.zPort,
      formatLineRate(c.bandwidth).replace(" ", ""),
      parts.media,
      parts.aModule?.id ?? "",
      parts.zModule?.id ?? "",
      parts.lengthM.toFixed(1),
      String(lengthClassM(parts.lengthM)),
      parts.assembly?.id ?? "",
    ]);
  });
  // Device names carry the scenario's group names, which may hold commas, quotes or line breaks:
  // csv-stringify quotes such fields as RFC 4180 says, so every row keeps its 13 columns.
  return stringify(rows, { header: true, columns: [...CABLING_HEADER], record_delimiter: "unix" });
}
