/**
 * Every device of a fabric with its cabled ports, by name: what `weft plan --names` prints and what
 * failures (`switch: leaf-3`, `link: leaf-0:up-1`) and exports refer to.
 */
import { type Fabric, NodeKind, SWITCH_TIER_NAMES } from "./fabric.js";
import { linkPortName, portMap } from "./names.js";

export interface DeviceName {
  name: string;
  kind: "accelerator" | "memory" | "storage" | "host" | "nic" | "switch";
  /** Switch tier (leaf, spine, core, scaleUp) or `none`. */
  tier: string;
  /** Cabled ports: this device's port, the peer device and its port. */
  ports: { port: string; peer: string; peerPort: string }[];
}

const KINDS = ["accelerator", "memory", "storage", "host", "nic", "switch"] as const;

export function deviceNames(
  fabric: Fabric,
  scaleOutSwitch?: { radix: number; portBandwidth: number },
): DeviceName[] {
  const map = portMap(fabric, scaleOutSwitch);
  const { nodes, links, outStart, outLinks } = fabric;
  const out: DeviceName[] = [];
  for (let v = 0; v < nodes.count; v++) {
    const own = [];
    for (let k = outStart[v]; k < outStart[v + 1]; k++) {
      const l = outLinks[k];
      own.push({
        index: map.index[l],
        port: linkPortName(fabric, map, l),
        peer: nodes.names[links.to[l]],
        peerPort: linkPortName(fabric, map, links.reverse[l]),
      });
    }
    if (nodes.kind[v] === NodeKind.switch) own.sort((a, b) => a.index - b.index);
    out.push({
      name: nodes.names[v],
      kind: KINDS[nodes.kind[v]],
      tier: SWITCH_TIER_NAMES[nodes.tier[v]],
      ports: own.map(({ port, peer, peerPort }) => ({ port, peer, peerPort })),
    });
  }
  return out;
}

/** One line per device, its ports indented below: `leaf-0 (switch, leaf)` / `  Ethernet0 → gpu-n0-nic0:eth0`. */
export function formatDeviceNames(devices: DeviceName[]): string {
  const lines: string[] = [];
  for (const d of devices) {
    lines.push(`${d.name} (${d.kind}${d.tier === "none" ? "" : `, ${d.tier}`})`);
    for (const p of d.ports) lines.push(`  ${p.port} → ${p.peer}:${p.peerPort}`);
  }
  return lines.join("\n");
}
