/**
 * Imports an htsim fat-tree topology file (`-topo`, as htsim's FatTreeTopologyCfg reads it) as a ClusterSpec:
 * one group of plain hosts with one NIC each, on a 2- or 3-tier fat-tree.
 *
 *   Nodes 128            Tiers 3            Podsize 16
 *   Tier 0               (ToR)  Downlink_speed_Gbps, Radix_Down (hosts per ToR), Radix_Up, Downlink_Latency_ns,
 *                               Switch_Latency_ns, Oversubscribed, Queue_Up / Queue_Down (bytes)
 *   Tier 1               (aggregation) the same, Bundle
 *   Tier 2               (core) Radix_Down, ...
 *
 * Weft's fat-trees use one switch model for every tier, so the import needs one link speed, one link
 * latency, one switch latency and one radix (Radix_Down + Radix_Up equal on the tiers that have up-links);
 * the leaf oversubscription is Radix_Down / Radix_Up of tier 0, the spine's that of tier 1. Anything that
 * does not fit (different speeds, bundles > 1, unknown keys) is an error naming the line.
 * Without Queue_* lines the buffer is htsim's default, one bandwidth-delay product rounded up to whole
 * 4,150-byte packets; the transport is htsim's default (spraying, NSCC, 4,150-byte packets, trimming, ECN
 * between 20% and 80% of the queue).
 */
import { WeftError } from "../../errors.js";
import { excerpt } from "../../files/excerpt.js";
import { readInputFile } from "../../files/read-input.js";
import type { ClusterSpec } from "../../scenario/types.js";

interface TierConfig {
  speedGbps?: number;
  radixDown?: number;
  radixUp?: number;
  linkLatencyNs?: number;
  switchLatencyNs?: number;
  queue?: number;
  line: number;
}

const HTSIM_PACKET = 4150;
const HTSIM_ACK = 64;

export function readHtsimTopology(file: string): ClusterSpec {
  let text: string;
  try {
    text = readInputFile(file);
  } catch (err) {
    throw new WeftError(`cannot read the htsim topology ${(err as Error).message}`, { file });
  }
  return parseHtsimTopology(text, file);
}

export function parseHtsimTopology(text: string, file = "<topology>"): ClusterSpec {
  const header: Record<string, number> = {};
  const tiers: TierConfig[] = [];
  let current = -1;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const tokens = lines[i].trim().split(/\s+/).filter(Boolean);
    if (tokens.length === 0 || tokens[0].startsWith("#")) continue;
    const key = tokens[0].toLowerCase();
    const value = Number(tokens[1]);
    const fail = (what: string): never => {
      throw new WeftError(what, { file, line, col: 1 });
    };
    if (tokens.length !== 2 || !Number.isFinite(value))
      fail(`expected "<key> <number>", got ${excerpt(lines[i])}`);
    if (key === "nodes" || key === "tiers" || key === "podsize") {
      header[key] = value;
    } else if (key === "tier") {
      if (!(value >= 0 && value <= 2)) fail(`tier must be 0, 1 or 2, got ${tokens[1]}`);
      current = value;
      tiers[current] = { line };
    } else {
      if (current < 0) fail(`${excerpt(tokens[0])} before any "Tier N" line`);
      applyTierKey(tiers[current], key, value, tokens[0], fail);
    }
  }
  return toCluster(header, tiers, file);
}

function applyTierKey(
  t: TierConfig,
  key: string,
  value: number,
  raw: string,
  fail: (w: string) => never,
): void {
  switch (key) {
    case "downlink_speed_gbps":
      t.speedGbps = value;
      return;
    case "radix_down":
      t.radixDown = value;
      return;
    case "radix_up":
      t.radixUp = value;
      return;
    case "downlink_latency_ns":
      t.linkLatencyNs = value;
      return;
    case "switch_latency_ns":
      t.switchLatencyNs = value;
      return;
    case "queue_up":
    case "queue_down":
      if (t.queue !== undefined && t.queue !== value)
        fail("Queue_Up and Queue_Down differ; weft uses one buffer per port");
      t.queue = value;
      return;
    case "oversubscribed":
      return; // implied by the radices
    case "bundle":
      if (value !== 1)
        fail(`Bundle ${value} is not supported: weft fat-trees have one link between two switches`);
      return;
    default:
      fail(
        `unknown key ${excerpt(raw)}; expected Tier, Downlink_speed_Gbps, Radix_Down, Radix_Up, Downlink_Latency_ns, Switch_Latency_ns, Queue_Up, Queue_Down, Oversubscribed, Bundle`,
      );
  }
}

function toCluster(header: Record<string, number>, tiers: TierConfig[], file: string): ClusterSpec {
  const nodes = header.nodes;
  const tierCount = header.tiers;
  if (!(Number.isInteger(nodes) && nodes > 0)) throw new WeftError(`missing "Nodes N" header`, { file });
  if (tierCount !== 2 && tierCount !== 3)
    throw new WeftError(`"Tiers" must be 2 or 3, got ${tierCount}`, { file });
  for (let i = 0; i < tierCount; i++) {
    if (!tiers[i]) throw new WeftError(`no "Tier ${i}" section`, { file });
  }
  const same = (what: string, get: (t: TierConfig) => number | undefined, fallback?: number): number => {
    let v: number | undefined;
    for (let i = 0; i < tierCount; i++) {
      const x = get(tiers[i]) ?? fallback;
      if (x === undefined) throw new WeftError(`Tier ${i} has no ${what}`, { file, line: tiers[i].line });
      if (v !== undefined && x !== v) {
        throw new WeftError(
          `Tier ${i} has ${what} ${x}, tier 0 has ${v}: weft fat-trees use one value for every tier`,
          {
            file,
            line: tiers[i].line,
          },
        );
      }
      v = x;
    }
    return v!;
  };
  const speedGbps = same("Downlink_speed_Gbps", (t) => t.speedGbps);
  const linkLatencyNs = same("Downlink_Latency_ns", (t) => t.linkLatencyNs);
  const switchLatencyNs = same("Switch_Latency_ns", (t) => t.switchLatencyNs, 0);
  const t0 = tiers[0];
  if (!t0.radixDown || !t0.radixUp) {
    throw new WeftError("Tier 0 needs Radix_Down and Radix_Up", { file, line: t0.line });
  }
  const radix = t0.radixDown + t0.radixUp;
  let spine = 1;
  if (tierCount === 3) {
    const t1 = tiers[1];
    if (!t1.radixDown || !t1.radixUp)
      throw new WeftError("Tier 1 needs Radix_Down and Radix_Up", { file, line: t1.line });
    if (t1.radixDown + t1.radixUp !== radix) {
      throw new WeftError(
        `Tier 1 switches have ${t1.radixDown + t1.radixUp} ports, tier 0 has ${radix}: weft fat-trees use one switch radix`,
        { file, line: t1.line },
      );
    }
    spine = t1.radixDown / t1.radixUp;
  }
  const rate = (speedGbps * 1e9) / 8;
  const linkLatency = linkLatencyNs / 1e9;
  const switchLatency = switchLatencyNs / 1e9;
  const queues = tiers
    .slice(0, tierCount)
    .map((t) => t.queue)
    .filter((q) => q !== undefined);
  const buffer =
    queues.length > 0
      ? Math.max(...(queues as number[]))
      : htsimDefaultBuffer(tierCount, rate, linkLatency, switchLatency);
  const bufferPackets = buffer / HTSIM_PACKET;
  return {
    groups: [
      {
        name: "host",
        kind: "host",
        nodes,
        acceleratorsPerNode: 0,
        nics: { count: 1, bandwidth: rate },
        priceUsdPerHour: 0,
      },
    ],
    scaleOut: {
      topology: "fat-tree",
      tiers: tierCount,
      switch: {
        id: `htsim-${radix}x${speedGbps}G`,
        name: `htsim switch, ${radix} ports of ${speedGbps} Gb/s`,
        vendor: "htsim",
        source: `htsim topology file ${file}`,
        radix,
        portBandwidth: rate,
        latency: switchLatency,
        buffer,
        powerW: 0,
        priceUsd: 0,
      },
      oversubscription: { leaf: t0.radixDown / t0.radixUp, spine },
      linkLatency,
      planes: 1,
    },
    transport: {
      loadBalancing: "spray",
      congestionControl: "nscc",
      mtu: HTSIM_PACKET,
      ecn: {
        min: Math.ceil(bufferPackets * 0.2) * HTSIM_PACKET,
        max: Math.ceil(bufferPackets * 0.8) * HTSIM_PACKET,
      },
      trimming: true,
      pfc: false,
    },
  };
}

/**
 * htsim's default queue: one bandwidth-delay product of the network's unloaded RTT (2 × diameter latency + a
 * packet and an ack serialized at every hop of the diameter), rounded up to whole packets.
 */
export function htsimDefaultBuffer(
  tiers: number,
  rate: number,
  linkLatency: number,
  switchLatency: number,
): number {
  const hops = 2 * tiers;
  const diameterLatency = hops * linkLatency + (hops - 1) * switchLatency;
  const rtt = 2 * diameterLatency + ((HTSIM_PACKET + HTSIM_ACK) / rate) * hops;
  return Math.ceil((rtt * rate) / HTSIM_PACKET) * HTSIM_PACKET;
}

/**
 * htsim's default topology for `hosts` hosts (htsim_uec without -topo): a 3-tier k-ary fat-tree with
 * k³/4 = hosts, 100 Gb/s links, 1 us per link, no switch latency, one-BDP queues, and htsim's default
 * transport. 16 hosts: k = 4; 128: k = 8; 1,024: k = 16.
 */
export function htsimDefaultCluster(hosts: number): ClusterSpec {
  const k = Math.round(Math.cbrt(4 * hosts));
  if (k % 2 !== 0 || (k * k * k) / 4 !== hosts) {
    throw new WeftError(
      `htsim's default fat-tree needs k³/4 hosts for an even k (16, 128, 1024, ...), got ${hosts}`,
    );
  }
  const text = [
    `Nodes ${hosts}`,
    "Tiers 3",
    `Podsize ${(k * k) / 4}`,
    ...[0, 1, 2].flatMap((t) => [
      `Tier ${t}`,
      "Downlink_speed_Gbps 100",
      `Radix_Down ${t === 2 ? k : k / 2}`,
      ...(t < 2 ? [`Radix_Up ${k / 2}`] : []),
      "Downlink_Latency_ns 1000",
      "Switch_Latency_ns 0",
    ]),
  ].join("\n");
  return parseHtsimTopology(text, `htsim default fat-tree, ${hosts} hosts`);
}
