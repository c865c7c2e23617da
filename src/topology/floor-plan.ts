/**
 * A simple floor plan, enough to class cable lengths and pick cable media (docs/fabric-manager.md):
 * - servers stand in compute racks, `SERVERS_PER_RACK` to a rack (a DGX SuperPOD rack holds 4 DGX B200),
 *   or one scale-up domain to a rack when the domain spans servers (an NVL72 rack); endpoints of other kinds
 *   the same way, 4 to a rack;
 * - compute racks fill rows of `RACKS_PER_ROW`; each row ends in a network rack holding the leaves of its
 *   first server (a leaf serves the row it is cabled to first), as in the DGX SuperPOD, where leaves are not
 *   beside the servers;
 * - spines and cores stand in a network row in front of the compute rows, `SWITCHES_PER_RACK` to a rack,
 *   spines from the left, cores after them.
 * A run between racks is |Δx|·rack width + |Δy|·row pitch + 2 × 2 m (up to the tray, down the rack, slack
 * at both ends); a run inside one rack stays in it, at most the rack's height. The bill of materials
 * (bom.ts) and the cabling export read the same plan, so their media agree.
 */
import { type Fabric, LinkTier, NodeKind, SwitchTier } from "./fabric.js";

export const SERVERS_PER_RACK = 4;
export const RACKS_PER_ROW = 16;
export const SWITCHES_PER_RACK = 16;
export const RACK_WIDTH_M = 0.6;
export const ROW_PITCH_M = 3.0;
export const VERTICAL_AND_SLACK_M = 4.0;
/** A 42U rack: 42 × 44.45 mm (the EIA-310 rack unit); no run inside one rack is longer. */
export const IN_RACK_RUN_M = 42 * 0.04445;
/** Standard patch lengths a run is rounded up to, metres. */
export const LENGTH_CLASSES_M = [1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500];

/** Rack column and row of every node that ends a scale-out cable (-1 for the others). */
export interface FloorPlan {
  x: Int32Array;
  y: Int32Array;
}

export function floorPlan(fabric: Fabric): FloorPlan {
  const { nodes, links } = fabric;
  const x = new Int32Array(nodes.count).fill(-1);
  const y = new Int32Array(nodes.count).fill(-1);
  const rackOfServer = serverRacks(fabric);
  for (let v = 0; v < nodes.count; v++) {
    const rack = rackOfServer[v];
    if (nodes.kind[v] === NodeKind.switch || rack < 0) continue;
    x[v] = rack % RACKS_PER_ROW;
    y[v] = 1 + Math.floor(rack / RACKS_PER_ROW);
  }
  // A leaf stands in the network rack at the end of the row of the first server cabled to it.
  for (let l = 0; l < links.count; l++) {
    if (links.tier[l] !== LinkTier.leaf || links.up[l] !== 1) continue;
    const leaf = links.to[l];
    if (x[leaf] >= 0) continue;
    x[leaf] = RACKS_PER_ROW;
    y[leaf] = y[links.from[l]];
  }
  let i = 0;
  for (let v = 0; v < nodes.count; v++) {
    if (nodes.tier[v] !== SwitchTier.spine && nodes.tier[v] !== SwitchTier.core) continue;
    x[v] = Math.floor(i++ / SWITCHES_PER_RACK);
    y[v] = 0;
  }
  return { x, y };
}

/** Compute rack of each endpoint or NIC node (by the server it sits in), -1 for the others. */
function serverRacks(fabric: Fabric): Int32Array {
  const { nodes, accelerators: acc, groups } = fabric;
  const rack = new Int32Array(nodes.count).fill(-1);
  // Accelerators: by scale-up domain when it spans servers, else by server.
  let maxRack = -1;
  for (let r = 0; r < acc.count; r++) {
    const dom = acc.domain[r];
    const spans = acc.server[domainFirst(fabric, dom)] !== acc.server[domainLast(fabric, dom)];
    rack[acc.node[r]] = spans ? dom : Math.floor(acc.server[r] / SERVERS_PER_RACK);
    maxRack = Math.max(maxRack, rack[acc.node[r]]);
  }
  const base = maxRack + 1;
  let server = 0;
  for (const g of groups) {
    if (g.kind === "accelerator") continue;
    const per = g.servers ? g.endpoints.length / g.servers : 1;
    for (let i = 0; i < g.endpoints.length; i++) {
      rack[g.endpoints[i]] = base + Math.floor((server + Math.floor(i / per)) / SERVERS_PER_RACK);
    }
    server += g.servers;
  }
  // NICs sit with the endpoint they serve (their first host link).
  for (let v = 0; v < nodes.count; v++) {
    if (nodes.kind[v] !== NodeKind.nic) continue;
    for (let k = fabric.outStart[v]; k < fabric.outStart[v + 1]; k++) {
      const peer = fabric.links.to[fabric.outLinks[k]];
      if (rack[peer] >= 0) {
        rack[v] = rack[peer];
        break;
      }
    }
  }
  return rack;
}

function domainFirst(fabric: Fabric, dom: number): number {
  const d = fabric.layout?.domains;
  return d ? d.firstRank[dom] : 0;
}

function domainLast(fabric: Fabric, dom: number): number {
  const d = fabric.layout?.domains;
  return d ? d.firstRank[dom + 1] - 1 : 0;
}

/** The run between nodes a and z, metres. */
export function runLengthM(plan: FloorPlan, a: number, z: number): number {
  const dx = Math.abs(plan.x[a] - plan.x[z]);
  const dy = Math.abs(plan.y[a] - plan.y[z]);
  if (dx === 0 && dy === 0) return IN_RACK_RUN_M;
  return dx * RACK_WIDTH_M + dy * ROW_PITCH_M + VERTICAL_AND_SLACK_M;
}

export function lengthClassM(lengthM: number): number {
  for (const c of LENGTH_CLASSES_M) if (lengthM <= c) return c;
  return Math.ceil(lengthM / 100) * 100;
}
