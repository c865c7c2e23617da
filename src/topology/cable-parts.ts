/**
 * The parts of every scale-out cable — its run on the floor plan (floor-plan.ts), its media, and either
 * the cable assembly or the transceiver at each end (optics.ts) — and those parts counted the way they are
 * ordered: one assembly per cable, and per switch (or NIC port) and module ⌈links / links per module⌉
 * transceivers. The bill of materials counts with `countCableParts`, the cabling export lists
 * `eachCableParts` row by row: one choice, so the two agree by construction.
 */
import type { OpticSpec } from "../catalog/types.js";
import { type Fabric, LinkTier, NodeKind } from "./fabric.js";
import { floorPlan, runLengthM } from "./floor-plan.js";
import { type CableMedia, type ModuleChoice, pickAssembly, pickModule } from "./optics.js";

export interface CableChoice {
  lengthM: number;
  media: CableMedia;
  /** The assembly (DAC, ACC, AOC) that is the whole cable; undefined for fiber. */
  assembly?: OpticSpec;
  /** For fiber: the transceivers at the lower (a) and upper (z) end. */
  aModule?: ModuleChoice;
  zModule?: ModuleChoice;
}

export interface CablePartsOptions {
  optics?: Record<string, OpticSpec>;
  /** Scale-out planes: a NIC port split into P ≥ 2 plane links takes twin-port modules. */
  planes: number;
}

export function isScaleOutTier(tier: number): boolean {
  return tier === LinkTier.leaf || tier === LinkTier.spine || tier === LinkTier.core;
}

/** Calls `visit` for every scale-out cable (its up-going link, in link order) with its parts. */
export function eachCableParts(
  fabric: Fabric,
  options: CablePartsOptions,
  visit: (link: number, choice: CableChoice) => void,
): void {
  const plan = floorPlan(fabric);
  const { links, nodes } = fabric;
  const choose = chooser(options);
  for (let l = 0; l < links.count; l++) {
    if (!isScaleOutTier(links.tier[l]) || links.up[l] !== 1) continue;
    const a = links.from[l];
    const lengthM = runLengthM(plan, a, links.to[l]);
    visit(l, choose(links.bandwidth[l], lengthM, nodes.kind[a] === NodeKind.switch));
  }
}

/** Choices memoized by speed, run and end: fabrics have few of each (and many cables). */
function chooser(options: CablePartsOptions) {
  const cache = new Map<number, Map<number, CableChoice[]>>();
  const nicTwin = options.planes >= 2;
  const make = (bandwidth: number, lengthM: number, aIsSwitch: boolean): CableChoice => {
    // A NIC port split over planes carries several plane links in one cage: a per-link assembly would put
    // two cable heads in one port, so its cables are fiber from the port's twin-port module.
    const splitNicPort = !aIsSwitch && nicTwin;
    const assembly = splitNicPort ? undefined : pickAssembly(options.optics, bandwidth, lengthM);
    if (assembly) return { lengthM, media: assembly.cable as CableMedia, assembly };
    return {
      lengthM,
      media: "fiber",
      aModule: pickModule(options.optics, bandwidth, aIsSwitch || nicTwin, lengthM),
      zModule: pickModule(options.optics, bandwidth, true, lengthM),
    };
  };
  return (bandwidth: number, lengthM: number, aIsSwitch: boolean): CableChoice => {
    let byLength = cache.get(bandwidth);
    if (!byLength) {
      byLength = new Map();
      cache.set(bandwidth, byLength);
    }
    let pair = byLength.get(lengthM);
    if (!pair) {
      pair = [];
      byLength.set(lengthM, pair);
    }
    const i = aIsSwitch ? 1 : 0;
    pair[i] ??= make(bandwidth, lengthM, aIsSwitch);
    return pair[i];
  };
}

/** More distinct transceivers than a catalog has speeds × reaches; keeps (end, module) keys exact. */
const MAX_MODULES = 1024;

export interface PartCount {
  count: number;
  spec?: OpticSpec;
  /** A cable assembly (one per cable) rather than a transceiver (one per cable end). */
  assembly: boolean;
}

/** Every part by id: assemblies one per cable, transceivers packed per switch or NIC port. */
export function countCableParts(fabric: Fabric, options: CablePartsOptions): Map<string, PartCount> {
  const parts = new Map<string, PartCount>();
  const add = (id: string, n: number, spec: OpticSpec | undefined, assembly: boolean) => {
    const p = parts.get(id);
    if (p) p.count += n;
    else parts.set(id, { count: n, spec, assembly });
  };
  // With one plane a NIC port has one link and one module; with P planes its links share ⌈P/2⌉.
  const port = options.planes >= 2 ? nicPortOfLink(fabric) : undefined;
  const packer = modulePacker();
  const { links, nodes } = fabric;
  eachCableParts(fabric, options, (l, c) => {
    if (c.assembly) return add(c.assembly.id, 1, c.assembly, true);
    const a = links.from[l];
    const aModule = c.aModule!;
    if (nodes.kind[a] === NodeKind.switch) packer.put(a, aModule);
    else if (port)
      packer.put(nodes.count + port[l], aModule); // ids past the nodes: NIC ports
    else add(aModule.id, 1, aModule.spec, false);
    packer.put(links.to[l], c.zModule!);
  });
  packer.each((m, count) => add(m.id, count, m.spec, false));
  return parts;
}

/** Links per (end, transceiver), then ⌈links / links per module⌉ modules at each; numeric keys, as ends are many. */
function modulePacker() {
  const index = new Map<string, number>();
  const modules: ModuleChoice[] = [];
  const links = new Map<number, number>();
  return {
    put(end: number, m: ModuleChoice): void {
      let k = index.get(m.id);
      if (k === undefined) {
        k = modules.push(m) - 1;
        if (k >= MAX_MODULES) throw new Error(`more than ${MAX_MODULES} kinds of transceiver in one fabric`);
        index.set(m.id, k);
      }
      const key = end * MAX_MODULES + k;
      links.set(key, (links.get(key) ?? 0) + 1);
    },
    each(visit: (m: ModuleChoice, count: number) => void): void {
      for (const [key, n] of links) {
        const m = modules[key % MAX_MODULES];
        visit(m, Math.ceil(n / m.linksPerModule));
      }
    },
  };
}

/**
 * The physical NIC port behind each up-going link out of an endpoint or NIC: its plane links share one
 * port. The layout lists a node's ports as `planes` consecutive entries per port; without a layout (a
 * hand-made fabric) each node is one port.
 */
function nicPortOfLink(fabric: Fabric): Int32Array {
  const port = new Int32Array(fabric.links.count);
  for (let l = 0; l < fabric.links.count; l++) port[l] = fabric.links.from[l];
  const layout = fabric.layout;
  if (!layout) return port;
  const { portStart, portHost, portUp } = layout;
  const planes = Math.max(1, layout.planes);
  for (let i = 0; i < portStart[portStart.length - 1]; i++) {
    // Entries through a host link belong to the NIC node, which lists the same port itself.
    if (portHost[i] === -1) port[portUp[i]] = Math.floor(i / planes);
  }
  return port;
}
