/**
 * The part of SONiC's configuration schema (config_db.json) that Weft writes, as zod. Field names, value
 * types and ranges follow SONiC's public YANG models (sonic-net/sonic-buildimage,
 * src/sonic-yang-models/yang-models/): sonic-device_metadata (DEVICE_METADATA: hostname, hwsku, type,
 * bgp_asn), sonic-port (PORT: alias, lanes, speed in Mb/s 1..1600000, mtu 68..9216, fec rs|fc|none|auto,
 * admin_status up|down, index), sonic-interface and sonic-loopback-interface (`<port>` and
 * `<port>|<prefix>` keys, vrf_name), sonic-bgp-neighbor (BGP_NEIGHBOR keyed by address: asn, name,
 * local_addr, admin_status, holdtime, keepalive), sonic-device_neighbor (name, port), sonic-vrf (`Vrf…`
 * names), sonic-dscp-tc-map, sonic-tc-queue-map, sonic-tc-priority-group-map, sonic-port-qos-map
 * (pfc_enable), sonic-wred-profile (ecn, wred_green_enable, green_min/max_threshold, green_drop_probability),
 * sonic-buffer-pool, sonic-buffer-profile (pool, size, xon, xoff, dynamic_th), sonic-buffer-pg and
 * sonic-queue. config_db stores every leaf as a string; the schema checks the string's form and range.
 */
import { z } from "zod";

const uintString = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "an unsigned integer written as a string")
    .refine((s) => Number(s) >= min && Number(s) <= max, `in ${min}..${max}`);

const OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = `${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}`;
export const ipv4Address = z.string().regex(new RegExp(`^${IPV4}$`), "an IPv4 address");
const PORT = "Ethernet\\d+";
/** In keys: the address's shape only (its octets are range-checked where it is a value). */
const IPV4_KEY = "\\d{1,3}(\\.\\d{1,3}){3}";
const VRF = "Vrf[A-Za-z0-9_-]{1,12}";
const adminStatus = z.enum(["up", "down"]);
const boolString = z.enum(["true", "false"]);
const tc = uintString(0, 7);
const byteCount = uintString(0, 2 ** 32 - 1);

const DEVICE_TYPES = [
  "ToRRouter",
  "LeafRouter",
  "SpineRouter",
  "BackEndToRRouter",
  "BackEndLeafRouter",
] as const;

export const deviceMetadata = z.strictObject({
  localhost: z.strictObject({
    hostname: z.string().min(1).max(255),
    hwsku: z.string().min(1).max(255),
    type: z.enum(DEVICE_TYPES),
    bgp_asn: uintString(1, 4294967295),
    buffer_model: z.enum(["dynamic", "traditional"]).optional(),
  }),
});

export const port = z.strictObject({
  alias: z.string().min(1).max(128),
  lanes: z.string().regex(/^\d+(,\d+)*$/, "comma-separated lane numbers"),
  speed: uintString(1, 1_600_000),
  mtu: uintString(68, 9216),
  fec: z.enum(["rs", "fc", "none", "auto"]),
  admin_status: adminStatus,
  index: uintString(0, 65535),
  description: z.string().max(255).optional(),
});

const interfaceEntry = z.strictObject({
  vrf_name: z
    .string()
    .regex(new RegExp(`^${VRF}$`))
    .optional(),
});
const empty = z.strictObject({});

export const bgpNeighbor = z.strictObject({
  asn: uintString(1, 4294967295),
  name: z.string().min(1),
  local_addr: ipv4Address,
  admin_status: adminStatus,
  holdtime: uintString(0, 65535),
  keepalive: uintString(0, 65535),
});

export const wredProfile = z.strictObject({
  ecn: z.enum(["ecn_none", "ecn_green", "ecn_yellow", "ecn_red", "ecn_green_yellow", "ecn_all"]),
  wred_green_enable: boolString,
  green_min_threshold: byteCount,
  green_max_threshold: byteCount,
  green_drop_probability: uintString(0, 100),
});

export const bufferProfile = z.strictObject({
  pool: z.string().min(1),
  size: byteCount,
  xon: byteCount.optional(),
  xoff: byteCount.optional(),
  dynamic_th: z
    .string()
    .regex(/^-?\d+$/)
    .refine((s) => Number(s) >= -8 && Number(s) <= 8, "in -8..8"),
});

const keyed = <T extends z.ZodType>(pattern: string, value: T) =>
  z.record(z.string().regex(new RegExp(`^${pattern}$`), `a key like ${pattern}`), value);

export const sonicConfigDb = z
  .strictObject({
    DEVICE_METADATA: deviceMetadata,
    PORT: keyed(PORT, port),
    INTERFACE: keyed(`${PORT}(\\|${IPV4_KEY}/31)?`, interfaceEntry),
    LOOPBACK_INTERFACE: keyed(`Loopback\\d+(\\|${IPV4_KEY}/32)?`, interfaceEntry),
    BGP_NEIGHBOR: keyed(IPV4, bgpNeighbor),
    DEVICE_NEIGHBOR: keyed(PORT, z.strictObject({ name: z.string().min(1), port: z.string().min(1) })),
    VRF: keyed(VRF, empty).optional(),
    DSCP_TO_TC_MAP: keyed("[A-Za-z0-9_]+", z.record(z.string().regex(/^([0-9]|[1-5][0-9]|6[0-3])$/), tc)),
    TC_TO_QUEUE_MAP: keyed("[A-Za-z0-9_]+", z.record(z.string().regex(/^[0-7]$/), tc)),
    TC_TO_PRIORITY_GROUP_MAP: keyed("[A-Za-z0-9_]+", z.record(z.string().regex(/^[0-7]$/), tc)),
    PORT_QOS_MAP: keyed(
      PORT,
      z.strictObject({
        dscp_to_tc_map: z.string(),
        tc_to_queue_map: z.string(),
        tc_to_pg_map: z.string(),
        pfc_enable: z
          .string()
          .regex(/^[0-7](,[0-7])*$/)
          .optional(),
      }),
    ),
    WRED_PROFILE: keyed("[A-Za-z0-9_]+", wredProfile).optional(),
    QUEUE: keyed(`${PORT}\\|[0-7](-[0-7])?`, z.strictObject({ wred_profile: z.string() })).optional(),
    BUFFER_POOL: keyed(
      "[A-Za-z0-9_]+",
      z.strictObject({
        type: z.enum(["ingress", "egress"]),
        mode: z.enum(["static", "dynamic"]),
        size: byteCount,
      }),
    ).optional(),
    BUFFER_PROFILE: keyed("[A-Za-z0-9_]+", bufferProfile).optional(),
    BUFFER_PG: keyed(`${PORT}\\|[0-7](-[0-7])?`, z.strictObject({ profile: z.string() })).optional(),
  })
  .superRefine((db, ctx) => {
    // Cross-table references, as the YANG leafrefs demand.
    for (const key of Object.keys(db.INTERFACE)) {
      const p = key.split("|")[0];
      if (!db.PORT[p]) ctx.addIssue({ code: "custom", message: `INTERFACE ${key}: no PORT ${p}` });
    }
    for (const [key, v] of Object.entries(db.INTERFACE)) {
      const vrf = (v as { vrf_name?: string }).vrf_name;
      if (vrf && !db.VRF?.[vrf]) ctx.addIssue({ code: "custom", message: `INTERFACE ${key}: no VRF ${vrf}` });
    }
    for (const p of Object.keys(db.DEVICE_NEIGHBOR)) {
      if (!db.PORT[p]) ctx.addIssue({ code: "custom", message: `DEVICE_NEIGHBOR ${p}: no PORT` });
    }
    for (const [p, q] of Object.entries(db.PORT_QOS_MAP)) {
      if (!db.PORT[p]) ctx.addIssue({ code: "custom", message: `PORT_QOS_MAP ${p}: no PORT` });
      if (!db.DSCP_TO_TC_MAP[q.dscp_to_tc_map])
        ctx.addIssue({ code: "custom", message: `PORT_QOS_MAP ${p}: no DSCP_TO_TC_MAP ${q.dscp_to_tc_map}` });
    }
    for (const [k, q] of Object.entries(db.QUEUE ?? {})) {
      if (!db.WRED_PROFILE?.[q.wred_profile])
        ctx.addIssue({ code: "custom", message: `QUEUE ${k}: no WRED_PROFILE ${q.wred_profile}` });
    }
    for (const [k, pg] of Object.entries(db.BUFFER_PG ?? {})) {
      if (!db.BUFFER_PROFILE?.[pg.profile])
        ctx.addIssue({ code: "custom", message: `BUFFER_PG ${k}: no BUFFER_PROFILE ${pg.profile}` });
    }
    for (const [k, prof] of Object.entries(db.BUFFER_PROFILE ?? {})) {
      if (!db.BUFFER_POOL?.[prof.pool])
        ctx.addIssue({ code: "custom", message: `BUFFER_PROFILE ${k}: no BUFFER_POOL ${prof.pool}` });
    }
  });

export type SonicConfigDb = z.infer<typeof sonicConfigDb>;
