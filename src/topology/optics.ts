/**
 * What a scale-out cable is made of, by its run length (the floor plan, floor-plan.ts) and speed; the
 * bill of materials (bom.ts) and the cabling export both ask here, so they count the same parts. Rules
 * (docs/topology.md):
 * - scale-up links (NVLink / UALink / in-board meshes) and host links are copper or board traces: no optics;
 * - a scale-out cable is the first cable assembly of the link's speed that reaches the run, in this order:
 *   a passive copper DAC, an active copper ACC, an active optical AOC (least power and cost first, as the
 *   catalog's figures have them); among several of one kind, the cheapest, then the shortest reach, then
 *   id. An assembly is one part for the whole cable, with no transceivers. Breakout cables (one twin-port
 *   end to two ports) pair two links on one switch cage, which a per-cable plan does not do: never chosen;
 * - otherwise it is fiber with a transceiver at each end. At a switch, a twin-port module of twice the
 *   link speed carries two links (an 800G twin-port OSFP carries two 400G ports): modules = ⌈links/2⌉ per
 *   switch and module; at a NIC, one module per port, or ⌈P/2⌉ twin-port modules when the port is split
 *   into P ≥ 2 plane links;
 * - among the catalog's transceivers (entries without `cable`) of the right speed, the one with the
 *   shortest reach of at least 100 m (row-scale runs, single-mode as the DGX SuperPOD uses) or of the run
 *   when it is longer, else the longest reach; ties by power, then id.
 * Without a matching catalog entry a module is counted under `optic-<speed>` with no price or power.
 */
import type { CableKind, OpticSpec } from "../catalog/types.js";
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

function better(a: OpticSpec, b: OpticSpec, minReachM: number): boolean {
  const aLong = a.reachM >= minReachM;
  const bLong = b.reachM >= minReachM;
  if (aLong !== bLong) return aLong;
  if (a.reachM !== b.reachM) return aLong ? a.reachM < b.reachM : a.reachM > b.reachM;
  if (a.powerW !== b.powerW) return a.powerW < b.powerW;
  return a.id < b.id;
}

export function bestOptic(
  optics: Record<string, OpticSpec> | undefined,
  bandwidth: number,
  minReachM = MIN_REACH_M,
): OpticSpec | undefined {
  let best: OpticSpec | undefined;
  for (const o of Object.values(optics ?? {})) {
    if (o.cable !== undefined || o.copper || !sameSpeed(o.bandwidth, bandwidth)) continue;
    if (!best || better(o, best, minReachM)) best = o;
  }
  return best;
}

/**
 * The module for links of this speed; `twin` allows a module of twice the speed carrying two links;
 * `runM` is the run it must reach when longer than MIN_REACH_M.
 */
export function pickModule(
  optics: Record<string, OpticSpec> | undefined,
  linkBandwidth: number,
  twin: boolean,
  runM = 0,
): ModuleChoice {
  const minReachM = Math.max(MIN_REACH_M, runM);
  const double = bestOptic(optics, 2 * linkBandwidth, minReachM);
  if (twin && double) return { id: double.id, linksPerModule: 2, spec: double };
  const single = bestOptic(optics, linkBandwidth, minReachM);
  if (single) return { id: single.id, linksPerModule: 1, spec: single };
  if (double) return { id: double.id, linksPerModule: 1, spec: double };
  return { id: `optic-${formatLineRate(linkBandwidth).replace(" ", "")}`, linksPerModule: 1 };
}

/** What the cable is: an assembly kind, or fiber between two transceivers. */
export type CableMedia = Exclude<CableKind, "breakout"> | "fiber";

/** Assembly kinds in the order they are preferred where they reach. */
const ASSEMBLIES = ["DAC", "ACC", "AOC"] as const;

/** The cable assembly for a run of `lengthM` at this speed, or undefined when it must be fiber. */
export function pickAssembly(
  optics: Record<string, OpticSpec> | undefined,
  linkBandwidth: number,
  lengthM: number,
): OpticSpec | undefined {
  for (const kind of ASSEMBLIES) {
    let best: OpticSpec | undefined;
    for (const o of Object.values(optics ?? {})) {
      if (o.cable !== kind || o.reachM < lengthM || !sameSpeed(o.bandwidth, linkBandwidth)) continue;
      if (!best || cheaper(o, best)) best = o;
    }
    if (best) return best;
  }
  return undefined;
}

function cheaper(a: OpticSpec, b: OpticSpec): boolean {
  if (a.priceUsd !== b.priceUsd) return a.priceUsd < b.priceUsd;
  if (a.reachM !== b.reachM) return a.reachM < b.reachM;
  return a.id < b.id;
}
