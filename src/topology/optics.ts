/**
 * Which transceiver a scale-out cable end uses. Rules (docs/topology.md):
 * - scale-up links (NVLink / UALink / in-board meshes) and host links are copper or board traces: no optics;
 * - every scale-out cable (node-to-leaf, leaf-spine, spine-core) is optical with a transceiver at each
 *   end (leaves sit in network racks, not beside the servers, as in the DGX SuperPOD);
 * - at a switch, a twin-port module of twice the link speed carries two links (an 800G twin-port OSFP
 *   carries two 400G ports): modules = ⌈links/2⌉ per switch and link speed; at a NIC, one module per
 *   port, or ⌈P/2⌉ twin-port modules when the port is split into P ≥ 2 plane links;
 * - among the catalog's optical (non-copper) modules of the right speed, the one with the shortest reach
 *   of at least 100 m (row-scale runs), else the longest reach; ties by power, then id.
 * Without a matching catalog entry a module is counted under `optic-<speed>` with no price or power.
 */
import type { OpticSpec } from "../catalog/types.js";
import { formatLineRate } from "../units/index.js";

export const MIN_REACH_M = 100;

export interface ModuleChoice {
  id: string;
  /** Links one module carries (2 for a twin-port module of twice the link speed). */
  linksPerModule: 1 | 2;
  spec?: OpticSpec;
}

function sameSpeed(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-6 * Math.max(a, b);
}

function better(a: OpticSpec, b: OpticSpec): boolean {
  const aLong = a.reachM >= MIN_REACH_M;
  const bLong = b.reachM >= MIN_REACH_M;
  if (aLong !== bLong) return aLong;
  if (a.reachM !== b.reachM) return aLong ? a.reachM < b.reachM : a.reachM > b.reachM;
  if (a.powerW !== b.powerW) return a.powerW < b.powerW;
  return a.id < b.id;
}

export function bestOptic(
  optics: Record<string, OpticSpec> | undefined,
  bandwidth: number,
): OpticSpec | undefined {
  let best: OpticSpec | undefined;
  for (const o of Object.values(optics ?? {})) {
    if (o.copper || !sameSpeed(o.bandwidth, bandwidth)) continue;
    if (!best || better(o, best)) best = o;
  }
  return best;
}

/** The module for links of this speed; `twin` allows a module of twice the speed carrying two links. */
export function pickModule(
  optics: Record<string, OpticSpec> | undefined,
  linkBandwidth: number,
  twin: boolean,
): ModuleChoice {
  const double = bestOptic(optics, 2 * linkBandwidth);
  if (twin && double) return { id: double.id, linksPerModule: 2, spec: double };
  const single = bestOptic(optics, linkBandwidth);
  if (single) return { id: single.id, linksPerModule: 1, spec: single };
  if (double) return { id: double.id, linksPerModule: 1, spec: double };
  return { id: `optic-${formatLineRate(linkBandwidth).replace(" ", "")}`, linksPerModule: 1 };
}
