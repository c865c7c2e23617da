/**
 * `weft export --format graph`: the fabric as a graph three ways —
 * - `graph.json`: every node (name, kind, tier, group, plane, pod) and every cable (both ends with ports,
 *   tier, per-direction bandwidth and latency), scale-up and host links included;
 * - `graph.dot`: Graphviz, the cables between distinct devices (host links inside a server left out), one
 *   rank per tier;
 * - `containerlab.clab.yml`: a containerlab topology of the scale-out fabric — one `sonic-vs` node per
 *   switch, one `linux` node per NIC or endpoint that holds a port — for fabrics of at most
 *   `CONTAINERLAB_MAX_NODES` nodes, which one machine can emulate. containerlab numbers a node's data
 *   interfaces eth1, eth2, … (eth0 is management) and sonic-vs maps ethN to its (N−1)-th front-panel port.
 */
import { createHash } from "node:crypto";
import { stringify } from "yaml";
import { WeftError } from "../../errors.js";
import {
  type Fabric,
  LINK_TIER_NAMES,
  LinkTier,
  NodeKind,
  SWITCH_TIER_NAMES,
} from "../../topology/fabric.js";
import { linkPortName, type PortMap } from "../../topology/names.js";
import type { Cable } from "./cables.js";

export const CONTAINERLAB_MAX_NODES = 128;
const KIND_NAMES = ["accelerator", "memory", "storage", "host", "nic", "switch"] as const;

export interface GraphJson {
  nodes: {
    id: number;
    name: string;
    kind: string;
    tier: string;
    group: number;
    plane: number;
    pod: number;
  }[];
  links: {
    a: string;
    aPort: string;
    z: string;
    zPort: string;
    tier: string;
    bandwidthGbps: number;
    latencyNs: number;
  }[];
}

export function graphJson(fabric: Fabric, ports: PortMap): GraphJson {
  const { nodes, links } = fabric;
  const out: GraphJson = { nodes: [], links: [] };
  for (let v = 0; v < nodes.count; v++) {
    out.nodes.push({
      id: v,
      name: nodes.names[v],
      kind: KIND_NAMES[nodes.kind[v]],
      tier: SWITCH_TIER_NAMES[nodes.tier[v]],
      group: nodes.group[v],
      plane: nodes.plane[v],
      pod: nodes.pod[v],
    });
  }
  for (let l = 0; l < links.count; l += 2) {
    out.links.push({
      a: nodes.names[links.from[l]],
      aPort: linkPortName(fabric, ports, l),
      z: nodes.names[links.to[l]],
      zPort: linkPortName(fabric, ports, l + 1),
      tier: LINK_TIER_NAMES[links.tier[l]],
      bandwidthGbps: (links.bandwidth[l] * 8) / 1e9,
      latencyNs: Math.round(links.latency[l] * 1e9 * 1000) / 1000,
    });
  }
  return out;
}

export function graphDot(fabric: Fabric, ports: PortMap, title: string): string {
  const { nodes, links } = fabric;
  const lines = [`graph ${JSON.stringify(title)} {`, "  rankdir=BT;", "  node [fontsize=10];"];
  const used = new Uint8Array(nodes.count);
  const edges: string[] = [];
  for (let l = 0; l < links.count; l += 2) {
    if (links.tier[l] === LinkTier.host) continue;
    const a = links.from[l];
    const z = links.to[l];
    used[a] = used[z] = 1;
    const label = `${linkPortName(fabric, ports, l)}–${linkPortName(fabric, ports, l + 1)}`;
    edges.push(
      `  ${JSON.stringify(nodes.names[a])} -- ${JSON.stringify(nodes.names[z])} [label=${JSON.stringify(label)}];`,
    );
  }
  const byTier = new Map<number, string[]>();
  for (let v = 0; v < nodes.count; v++) {
    if (!used[v]) continue;
    const shape = nodes.kind[v] === NodeKind.switch ? "box" : "ellipse";
    lines.push(`  ${JSON.stringify(nodes.names[v])} [shape=${shape}];`);
    const rank = nodes.kind[v] === NodeKind.switch ? nodes.tier[v] : 0;
    const members = byTier.get(rank) ?? [];
    members.push(JSON.stringify(nodes.names[v]));
    byTier.set(rank, members);
  }
  for (const members of byTier.values()) lines.push(`  { rank=same; ${members.join("; ")}; }`);
  lines.push(...edges, "}");
  return `${lines.join("\n")}\n`;
}

export function containerlabTopology(fabric: Fabric, cables: Cable[], ports: PortMap, name: string): string {
  const { nodes } = fabric;
  const members = new Set<number>();
  for (const c of cables) members.add(c.a).add(c.z);
  if (members.size > CONTAINERLAB_MAX_NODES) {
    throw new WeftError(
      `containerlab: the scale-out fabric has ${members.size.toLocaleString("en-US")} nodes; one machine emulates at most ${CONTAINERLAB_MAX_NODES}`,
    );
  }
  const nodeName = clabNodeNames(nodes.names, members);
  const clabNodes: Record<string, { kind: string; labels?: Record<string, string> }> = {};
  for (const v of [...members].sort((x, y) => x - y)) {
    const kind = nodes.kind[v] === NodeKind.switch ? "sonic-vs" : "linux";
    const own = nodeName.get(v) === nodes.names[v];
    // A renamed node keeps the device name it stands for (as cabling.csv and graph.json name it).
    clabNodes[nodeName.get(v) as string] = own
      ? { kind }
      : { kind, labels: { "weft-device": nodes.names[v] } };
  }
  const iface = (link: number) => `eth${ports.index[link] + 1}`;
  const topo = {
    name: clabName(name),
    topology: {
      kinds: { "sonic-vs": { image: "docker-sonic-vs:latest" }, linux: { image: "alpine:latest" } },
      nodes: clabNodes,
      links: cables.map((c) => ({
        endpoints: [
          `${nodeName.get(c.a)}:${iface(c.link)}`,
          `${nodeName.get(c.z)}:${iface(fabric.links.reverse[c.link])}`,
        ],
      })),
    },
  };
  return stringify(topo);
}

/**
 * A containerlab node name: a letter or digit, then letters, digits and `-` (containerlab's schema for
 * node names, srl-labs/containerlab#3018: the name goes into the container's name, which Docker limits to
 * [a-zA-Z0-9][a-zA-Z0-9_.-], and into /etc/hosts, where `_` does not resolve; `:` would split a link
 * endpoint), at most 63 characters (a host name).
 */
const CLAB_NODE = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;

/**
 * Each member's node name: its device name where that is one; otherwise the device name with every run
 * of other characters made `-`, cut to fit, and 6 hex digits of the device name's SHA-256, so two devices
 * that differ only where characters were replaced stay two nodes. Fails if two still meet.
 */
export function clabNodeNames(names: string[], members: Iterable<number>): Map<number, string> {
  const out = new Map<number, string>();
  const byName = new Map<string, number>();
  for (const v of members) {
    const name = clabNodeName(names[v]);
    const other = byName.get(name);
    if (other !== undefined) {
      throw new WeftError(
        `containerlab: devices ${JSON.stringify(names[other])} and ${JSON.stringify(names[v])} both become node ${name}; expected group names of letters, digits and -`,
      );
    }
    byName.set(name, v);
    out.set(v, name);
  }
  return out;
}

function clabNodeName(device: string): string {
  if (CLAB_NODE.test(device)) return device;
  const digest = createHash("sha256").update(device, "utf8").digest("hex").slice(0, 6);
  const base = device
    .replace(/[^A-Za-z0-9-]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, 63 - 7)
    .replace(/-+$/, "");
  return `${base || "node"}-${digest}`;
}

function clabName(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "weft"
  );
}
