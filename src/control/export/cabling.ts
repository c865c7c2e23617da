/**
 * `weft export --format cabling`: one CSV row per scale-out cable — its id, both ends (device and port),
 * tier, speed, the transceiver at each end (the bill of materials' rule, src/topology/optics.ts: every
 * scale-out cable is optical; a switch end uses a twin-port module of twice the speed where the catalog has
 * one), and the run length and its class from the floor plan in racks.ts.
 */
import type { OpticSpec } from "../../catalog/types.js";
import type { Fabric } from "../../topology/fabric.js";
import { NodeKind } from "../../topology/fabric.js";
import { pickModule } from "../../topology/optics.js";
import { formatLineRate } from "../../units/index.js";
import type { Cable } from "./cables.js";
import { floorPlan, lengthClassM, runLengthM } from "./racks.js";

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
] as const;

export interface CablingOptions {
  optics?: Record<string, OpticSpec>;
  /** Scale-out planes: a NIC port split into P ≥ 2 plane links takes a twin-port module. */
  planes: number;
}

export function cablingCsv(fabric: Fabric, cables: Cable[], options: CablingOptions): string {
  const pos = floorPlan(fabric, cables);
  const { names, kind } = fabric.nodes;
  const lines: string[] = [CABLING_HEADER.join(",")];
  const moduleCache = new Map<string, string>();
  const moduleFor = (bandwidth: number, twin: boolean) => {
    const key = `${bandwidth}:${twin}`;
    let id = moduleCache.get(key);
    if (id === undefined) {
      id = pickModule(options.optics, bandwidth, twin).id;
      moduleCache.set(key, id);
    }
    return id;
  };
  for (const c of cables) {
    const aIsSwitch = kind[c.a] === NodeKind.switch;
    const aModule = moduleFor(c.bandwidth, aIsSwitch || options.planes >= 2);
    const zModule = moduleFor(c.bandwidth, true);
    const length = runLengthM(pos[c.a], pos[c.z]);
    lines.push(
      [
        c.id,
        c.tier,
        names[c.a],
        c.aPort,
        names[c.z],
        c.zPort,
        formatLineRate(c.bandwidth).replace(" ", ""),
        "fiber",
        aModule,
        zModule,
        length.toFixed(1),
        String(lengthClassM(length)),
      ].join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}
