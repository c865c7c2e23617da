/**
 * `weft export --format sonic`: one config_db.json per scale-out Ethernet switch (docs/fabric-manager.md).
 * Every cabled port is up with a /31 from the address plan, every other port down; an eBGP session runs on
 * every switch-to-switch cable (RFC 7938 ASN plan in addresses.ts); NIC-facing ports carry the host's /31
 * and, with tenants, the tenant's VRF. QoS follows the scenario's transport:
 * - DSCP 26 (RoCEv2 data) → traffic class 3, DSCP 48 (CNP) → 6, everything else → 0; TC i → queue i and
 *   priority group i;
 * - `transport.pfc: true` makes TC 3 lossless: pfc_enable "3", a lossless buffer profile on PG 3 whose xoff
 *   headroom holds what arrives while a pause takes effect (2 × cable delay × port speed + 2 MTU of frames
 *   in flight + one MTU being sent) and xon = 2 MTU;
 * - queue 3 marks ECN by WRED between `transport.ecn.min` and `.max` (without them, 20% and 80% of the
 *   port's queue buffer, as the packet engine does), probability rising to 100% at max.
 */
import type { ClusterSpec } from "../../scenario/types.js";
import { type Fabric, NodeKind, SwitchTier } from "../../topology/fabric.js";
import { isScaleOutSwitch, type PortMap } from "../../topology/names.js";
import { type AddressPlan, formatIpv4 } from "./addresses.js";
import type { Cable } from "./cables.js";
import type { SonicConfigDb } from "./sonic-schema.js";

export const ROCE_DSCP = 26;
export const CNP_DSCP = 48;
export const LOSSLESS_TC = 3;
export const CNP_TC = 6;
export const PORT_MTU = 9100;
export const QOS_MAP = "WEFT";
export const LOSSLESS_PROFILE = "pg_lossless_profile";
export const WRED = "WEFT_LOSSLESS";

export interface SonicInput {
  fabric: Fabric;
  cluster: ClusterSpec;
  cables: Cable[];
  ports: PortMap;
  plan: AddressPlan;
  /** The VRF of the NIC-facing port of cable k (by cable index), when tenants are isolated by VRF. */
  vrfOfCable?: (k: number) => string | undefined;
}

export interface SwitchConfig {
  hostname: string;
  node: number;
  config: SonicConfigDb;
}

const TIER_TYPE: Record<number, SonicConfigDb["DEVICE_METADATA"]["localhost"]["type"]> = {
  [SwitchTier.leaf]: "BackEndToRRouter",
  [SwitchTier.spine]: "BackEndLeafRouter",
  [SwitchTier.core]: "SpineRouter",
};

/** The configs one switch at a time, so a 16K fabric's 1,280 configs never sit in memory together. */
export function* sonicConfigs(input: SonicInput): Generator<SwitchConfig> {
  const { fabric, cables } = input;
  const cableOfLink = new Int32Array(fabric.links.count).fill(-1);
  cables.forEach((c, k) => {
    cableOfLink[c.link] = k;
    cableOfLink[fabric.links.reverse[c.link]] = k;
  });
  const shared = sharedQos(input.cluster);
  for (let v = 0; v < fabric.nodes.count; v++) {
    if (!isScaleOutSwitch(fabric, v)) continue;
    yield { hostname: fabric.nodes.names[v], node: v, config: switchConfig(input, v, cableOfLink, shared) };
  }
}

type Qos = Pick<
  SonicConfigDb,
  "DSCP_TO_TC_MAP" | "TC_TO_QUEUE_MAP" | "TC_TO_PRIORITY_GROUP_MAP" | "WRED_PROFILE" | "BUFFER_POOL"
>;

function sharedQos(cluster: ClusterSpec): Qos {
  const dscp: Record<string, string> = {};
  for (let d = 0; d < 64; d++)
    dscp[String(d)] = String(d === ROCE_DSCP ? LOSSLESS_TC : d === CNP_DSCP ? CNP_TC : 0);
  const identity: Record<string, string> = {};
  for (let t = 0; t < 8; t++) identity[String(t)] = String(t);
  const { ecn } = ecnThresholds(cluster);
  const sw = cluster.scaleOut.switch;
  return {
    DSCP_TO_TC_MAP: { [QOS_MAP]: dscp },
    TC_TO_QUEUE_MAP: { [QOS_MAP]: identity },
    TC_TO_PRIORITY_GROUP_MAP: { [QOS_MAP]: { ...identity } },
    WRED_PROFILE: {
      [WRED]: {
        ecn: "ecn_all",
        wred_green_enable: "true",
        green_min_threshold: String(ecn.min),
        green_max_threshold: String(ecn.max),
        green_drop_probability: "100",
      },
    },
    BUFFER_POOL: cluster.transport.pfc
      ? {
          ingress_lossless_pool: {
            type: "ingress",
            mode: "dynamic",
            size: String(Math.round(Math.min(sw.buffer * sw.radix, 2 ** 32 - 1))),
          },
        }
      : undefined,
  };
}

/** WRED/ECN thresholds of the lossless queue, bytes: the transport's, else 20% / 80% of the port's buffer. */
export function ecnThresholds(cluster: ClusterSpec): { ecn: { min: number; max: number } } {
  const { mtu, ecn } = cluster.transport;
  if (ecn) return { ecn: { min: Math.round(ecn.min), max: Math.round(ecn.max) } };
  const frames = cluster.scaleOut.switch.buffer / mtu;
  return { ecn: { min: Math.ceil(0.2 * frames) * mtu, max: Math.ceil(0.8 * frames) * mtu } };
}

/** Lossless headroom (bytes) for a port of this speed (bytes/s) on a cable of this one-way delay (s). */
export function losslessHeadroom(
  bandwidth: number,
  cableDelayS: number,
  mtu: number,
): { xoff: number; xon: number } {
  const xoff = Math.ceil(2 * cableDelayS * bandwidth + 3 * Math.max(mtu, PORT_MTU));
  return { xoff, xon: 2 * Math.max(mtu, PORT_MTU) };
}

function switchConfig(input: SonicInput, v: number, cableOfLink: Int32Array, qos: Qos): SonicConfigDb {
  const { fabric, cluster, cables, ports, plan } = input;
  const { names, kind, tier } = fabric.nodes;
  const { links } = fabric;
  const sw = cluster.scaleOut.switch;
  const pfc = cluster.transport.pfc;
  const lanes = ports.lanes;
  const linkAt = new Int32Array(ports.ports[v]).fill(-1);
  for (let k = fabric.outStart[v]; k < fabric.outStart[v + 1]; k++)
    linkAt[ports.index[fabric.outLinks[k]]] = fabric.outLinks[k];
  const db: SonicConfigDb = {
    DEVICE_METADATA: {
      localhost: {
        hostname: names[v],
        hwsku: sw.id,
        type: TIER_TYPE[tier[v]],
        bgp_asn: String(plan.asn[v]),
        buffer_model: "traditional",
      },
    },
    PORT: {},
    INTERFACE: {},
    LOOPBACK_INTERFACE: {
      Loopback0: {},
      [`Loopback0|${formatIpv4(plan.loopback[v])}/32`]: {},
    },
    BGP_NEIGHBOR: {},
    DEVICE_NEIGHBOR: {},
    ...qos,
    PORT_QOS_MAP: {},
  };
  const queues: NonNullable<SonicConfigDb["QUEUE"]> = {};
  db.QUEUE = queues;
  if (!pfc) delete db.BUFFER_POOL;
  const vrfs = new Set<string>();
  const profiles: NonNullable<SonicConfigDb["BUFFER_PROFILE"]> = {};
  const pgs: NonNullable<SonicConfigDb["BUFFER_PG"]> = {};
  for (let i = 0; i < linkAt.length; i++) {
    const name = `Ethernet${i * lanes}`;
    const l = linkAt[i];
    const k = l < 0 ? -1 : cableOfLink[l];
    const bandwidth = k < 0 ? sw.portBandwidth : links.bandwidth[l];
    db.PORT[name] = {
      alias: `etp${i + 1}`,
      lanes: laneList(i * lanes, lanes),
      speed: String(Math.round((bandwidth * 8) / 1e6)),
      mtu: String(PORT_MTU),
      fec: "rs",
      admin_status: k < 0 ? "down" : "up",
      index: String(i),
    };
    if (k < 0) continue;
    const cable = cables[k];
    const selfIsZ = cable.z === v;
    const base = plan.cableBase(k);
    const self = selfIsZ ? base : base + 1;
    const peerAddr = selfIsZ ? base + 1 : base;
    const peer = selfIsZ ? cable.a : cable.z;
    const vrf = !selfIsZ || kind[peer] === NodeKind.switch ? undefined : input.vrfOfCable?.(k);
    if (vrf) vrfs.add(vrf);
    db.INTERFACE[name] = vrf ? { vrf_name: vrf } : {};
    db.INTERFACE[`${name}|${formatIpv4(self)}/31`] = {};
    db.DEVICE_NEIGHBOR[name] = { name: names[peer], port: selfIsZ ? cable.aPort : cable.zPort };
    if (kind[peer] === NodeKind.switch) {
      db.BGP_NEIGHBOR[formatIpv4(peerAddr)] = {
        asn: String(plan.asn[peer]),
        name: names[peer],
        local_addr: formatIpv4(self),
        admin_status: "up",
        holdtime: "9",
        keepalive: "3",
      };
    }
    db.PORT_QOS_MAP[name] = {
      dscp_to_tc_map: QOS_MAP,
      tc_to_queue_map: QOS_MAP,
      tc_to_pg_map: QOS_MAP,
      ...(pfc ? { pfc_enable: String(LOSSLESS_TC) } : {}),
    };
    queues[`${name}|${LOSSLESS_TC}`] = { wred_profile: WRED };
    if (pfc) {
      const { xoff, xon } = losslessHeadroom(bandwidth, cluster.scaleOut.linkLatency, cluster.transport.mtu);
      const profile = `${LOSSLESS_PROFILE}_${Math.round((bandwidth * 8) / 1e9)}g`;
      profiles[profile] ??= {
        pool: "ingress_lossless_pool",
        size: String(xon + xoff),
        xon: String(xon),
        xoff: String(xoff),
        dynamic_th: "0",
      };
      pgs[`${name}|${LOSSLESS_TC}`] = { profile };
    }
  }
  if (vrfs.size) db.VRF = Object.fromEntries([...vrfs].sort().map((n) => [n, {}]));
  if (pfc) {
    db.BUFFER_PROFILE = profiles;
    db.BUFFER_PG = pgs;
  }
  return db;
}

function laneList(first: number, count: number): string {
  const lanes: number[] = [];
  for (let j = 0; j < count; j++) lanes.push(first + j);
  return lanes.join(",");
}
