/**
 * Port names. Devices are named by the builders (`fabric.nodes.names`: `gpu-n17-a3`, `gpu-n17-nic3`,
 * `nvsw-d2`, `leaf-12`, `p1-spine-3`, `core-0`); this file names the ports on them, so that cabling plans,
 * switch configurations and reports speak of the same `leaf-12:Ethernet48`.
 *
 * - Scale-out switch ports follow SONiC's `Ethernet<first lane>` convention: port i is `Ethernet<i·lanes>`,
 *   lanes per port from the port speed (100G SerDes up to 800G, 200G SerDes above). Cabled ports come first,
 *   down-going cables (to NICs, or to leaves on a spine) before up-going ones, each in link id order; ports
 *   up to the radix follow, uncabled.
 * - Scale-up switch ports are `port<i>` in the same order.
 * - An endpoint or NIC names its ports by kind: `eth<k>` (scale-out), `nvl<k>` (scale-up), `pcie<k>`
 *   (host link to its NIC), k counted from 0 in link id order.
 */
import { type Fabric, LinkTier, NodeKind, SwitchTier } from "./fabric.js";

export interface PortMap {
  /** Port index of each directed link at its `from` end (per kind at endpoints, see above). */
  index: Int32Array;
  /** Ports of each node: for a scale-out switch max(radix, cabled), else the cabled ones. */
  ports: Int32Array;
  /** Lanes per scale-out switch port (the step between `Ethernet` numbers). */
  lanes: number;
}

/** SerDes lanes behind one port of this speed (bytes/s): 100G lanes up to 800G, 200G lanes above. */
export function lanesPerPort(portBandwidth: number): number {
  const bits = portBandwidth * 8;
  const laneBits = bits > 800e9 * 1.01 ? 200e9 : 100e9;
  return Math.max(1, Math.min(8, Math.round(bits / laneBits)));
}

export function isScaleOutSwitch(fabric: Fabric, node: number): boolean {
  return fabric.nodes.kind[node] === NodeKind.switch && fabric.nodes.tier[node] >= SwitchTier.leaf;
}

export function portMap(fabric: Fabric, scaleOutSwitch?: { radix: number; portBandwidth: number }): PortMap {
  const { nodes, links, outStart, outLinks } = fabric;
  const index = new Int32Array(links.count).fill(-1);
  const ports = new Int32Array(nodes.count);
  const counters = new Int32Array(3);
  for (let v = 0; v < nodes.count; v++) {
    const a = outStart[v];
    const b = outStart[v + 1];
    if (nodes.kind[v] === NodeKind.switch) {
      let i = 0;
      for (const wantUp of [0, 1]) {
        for (let k = a; k < b; k++) if (links.up[outLinks[k]] === wantUp) index[outLinks[k]] = i++;
      }
      const radix = isScaleOutSwitch(fabric, v) ? (scaleOutSwitch?.radix ?? 0) : 0;
      ports[v] = Math.max(i, radix);
      continue;
    }
    counters.fill(0);
    for (let k = a; k < b; k++) {
      const l = outLinks[k];
      index[l] = counters[endpointPortKind(links.tier[l])]++;
    }
    ports[v] = b - a;
  }
  return { index, ports, lanes: lanesPerPort(scaleOutSwitch?.portBandwidth ?? 50e9) };
}

const ENDPOINT_PREFIX = ["eth", "nvl", "pcie"] as const;

function endpointPortKind(tier: number): 0 | 1 | 2 {
  if (tier === LinkTier.host) return 2;
  return tier === LinkTier.scaleUp ? 1 : 0;
}

/** The name of port `index` on `node` (for endpoints, of the kind of `link`'s tier). */
export function portName(fabric: Fabric, map: PortMap, node: number, index: number, tier: number): string {
  if (fabric.nodes.kind[node] === NodeKind.switch) {
    return isScaleOutSwitch(fabric, node) ? `Ethernet${index * map.lanes}` : `port${index}`;
  }
  return `${ENDPOINT_PREFIX[endpointPortKind(tier)]}${index}`;
}

/** The port a directed link leaves from, as `<port>` on its `from` node. */
export function linkPortName(fabric: Fabric, map: PortMap, link: number): string {
  return portName(fabric, map, fabric.links.from[link], map.index[link], fabric.links.tier[link]);
}
