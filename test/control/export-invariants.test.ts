// Fabric-wide invariants of the exports, on every example fabric: every cable once with both ends existing;
// the parts the cabling plan names (assemblies, transceivers packed per device) are the bill of materials';
// both ends of every link on one /31 and no address twice; every BGP session reciprocal with matching ASNs;
// every cabled port configured and up, every other port down; lossless queues as the transport asks; every
// config_db.json passes the schema.
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exportFabric } from "../../src/control/export/index.js";
import { type SonicConfigDb, sonicConfigDb } from "../../src/control/export/sonic-schema.js";
import { loadScenario } from "../../src/scenario/load.js";
import type { Scenario } from "../../src/scenario/types.js";
import { buildScenarioFabric } from "../../src/topology/build.js";
import { parseQuantity } from "../../src/units/index.js";
import { REPO_ROOT } from "../helpers/data.js";

const dir = path.join(REPO_ROOT, "examples");
const examples = readdirSync(dir).filter((f) => f.endsWith(".yaml"));

interface CsvCable {
  id: string;
  a: string;
  aPort: string;
  z: string;
  zPort: string;
}

function cablesOf(csv: string): CsvCable[] {
  const [, ...rows] = csv.trim().split("\n");
  return rows.map((r) => {
    const c = r.split(",");
    return { id: c[0], a: c[2], aPort: c[3], z: c[4], zPort: c[5] };
  });
}

const sorted = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort());

/**
 * The parts the cabling plan names, counted as they are ordered: an assembly per row; per device and
 * module, ⌈links / links per module⌉ transceivers (a module of twice the row's speed carries two links).
 * Checks each row's media against its parts on the way.
 */
function partsOf(csv: string, scenario: Scenario, ok: (cond: unknown, what: string) => void) {
  const [header, ...lines] = csv.trim().split("\n");
  const cols = header.split(",");
  const optics = scenario.catalog.optics;
  const counts: Record<string, number> = {};
  const ends = new Map<string, { links: number; perModule: number; id: string }>();
  const put = (device: string, id: string, speed: number) => {
    const perModule = Math.abs((optics[id]?.bandwidth ?? speed) - 2 * speed) < 1 ? 2 : 1;
    const e = ends.get(`${device}|${id}`) ?? { links: 0, perModule, id };
    e.links++;
    ends.set(`${device}|${id}`, e);
  };
  for (const line of lines) {
    const r = Object.fromEntries(line.split(",").map((v, i) => [cols[i], v]));
    const speed = parseQuantity("bandwidth", r.speed);
    if (r.media === "fiber") {
      ok(
        r.a_transceiver && r.z_transceiver && !r.cable_part,
        `${r.id}: fiber needs a transceiver at each end`,
      );
      put(r.a_device, r.a_transceiver, speed);
      put(r.z_device, r.z_transceiver, speed);
      continue;
    }
    const part = optics[r.cable_part];
    ok(part?.cable === r.media, `${r.id}: media ${r.media} but cable part ${r.cable_part}`);
    ok(!r.a_transceiver && !r.z_transceiver, `${r.id}: a ${r.media} has no transceivers`);
    ok(part && part.reachM >= Number(r.length_m), `${r.id}: ${r.cable_part} does not reach ${r.length_m} m`);
    counts[r.cable_part] = (counts[r.cable_part] ?? 0) + 1;
  }
  for (const e of ends.values()) counts[e.id] = (counts[e.id] ?? 0) + Math.ceil(e.links / e.perModule);
  return counts;
}

function ipOf(key: string): string | undefined {
  const m = /\|(\d+\.\d+\.\d+\.\d+)\/(31|32)$/.exec(key);
  return m?.[1];
}

const ipNum = (ip: string) => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);

/** Collects broken invariants (an `expect` per element would dominate the run on the 16K fabric). */
function checker() {
  const errors: string[] = [];
  return {
    errors,
    ok(cond: unknown, what: string) {
      if (!cond && errors.length < 20) errors.push(what);
    },
  };
}

type Exported = Record<"cabling" | "graph" | "sonic" | "hosts", ReturnType<typeof exportFabric>>;

function exportAll(scenario: Scenario): Exported {
  const fabric = buildScenarioFabric(scenario);
  const one = (format: keyof Exported) =>
    exportFabric(scenario, fabric, format, { warnings: [], validate: false });
  return { cabling: one("cabling"), graph: one("graph"), sonic: one("sonic"), hosts: one("hosts") };
}

function invariantErrors(scenario: Scenario, exported: Exported) {
  const { errors, ok } = checker();
  const fabric = buildScenarioFabric(scenario);
  const files = (format: keyof Exported) => exported[format];
  const cables = cablesOf(files("cabling")[0].content);
  const graph = JSON.parse(files("graph")[0].content) as { nodes: { name: string }[] };
  const names = new Set(graph.nodes.map((n) => n.name));

  // Every cable once, both ends existing, no port on two cables.
  const ids = new Set<string>();
  const portsUsed = new Set<string>();
  for (const c of cables) {
    ok(!ids.has(c.id), `${c.id} twice`);
    ids.add(c.id);
    ok(names.has(c.a) && names.has(c.z), `${c.id}: an end that is not in the fabric`);
    for (const end of [`${c.a}:${c.aPort}`, `${c.z}:${c.zPort}`]) {
      ok(!portsUsed.has(end), end);
      portsUsed.add(end);
    }
  }
  const bomCables = Object.entries(fabric.bom.cables)
    .filter(([tier]) => tier !== "scaleUp")
    .reduce((s, [, n]) => s + n, 0);
  ok(cables.length === bomCables, `${cables.length} cables, the bill of materials counts ${bomCables}`);
  const parts = partsOf(files("cabling")[0].content, scenario, ok);
  ok(
    JSON.stringify(sorted(parts)) === JSON.stringify(sorted(fabric.bom.optics)),
    `the cabling's parts ${JSON.stringify(sorted(parts))} are not the bill of materials' ${JSON.stringify(sorted(fabric.bom.optics))}`,
  );

  const configs = new Map<string, SonicConfigDb>();
  for (const f of files("sonic")) {
    const parsed = sonicConfigDb.safeParse(JSON.parse(f.content));
    ok(parsed.success, `${f.path}: ${parsed.error?.issues[0]?.message}`);
    if (parsed.success) configs.set(parsed.data.DEVICE_METADATA.localhost.hostname, parsed.data);
  }

  // Addresses: one owner each; both ends of every cable in one /31.
  const owner = new Map<string, string>();
  const addressAt = new Map<string, string>();
  for (const [host, db] of configs) {
    for (const key of [...Object.keys(db.INTERFACE), ...Object.keys(db.LOOPBACK_INTERFACE)]) {
      const ip = ipOf(key);
      if (!ip) continue;
      ok(!owner.has(ip), `${ip} on ${host} and ${owner.get(ip)}`);
      owner.set(ip, host);
      addressAt.set(`${host}:${key.split("|")[0]}`, ip);
    }
  }
  const hosts = JSON.parse(files("hosts")[0].content) as {
    nics: { device: string; port: string; address: string }[];
  }[];
  for (const h of hosts) {
    for (const n of h.nics) {
      const ip = n.address.split("/")[0];
      ok(!owner.has(ip), ip);
      owner.set(ip, n.device);
      addressAt.set(`${n.device}:${n.port}`, ip);
    }
  }
  for (const c of cables) {
    const a = addressAt.get(`${c.a}:${c.aPort}`);
    const z = addressAt.get(`${c.z}:${c.zPort}`);
    ok(a && z, `${c.id} ends addressed`);
    ok(
      a && z && Math.floor(ipNum(a) / 2) === Math.floor(ipNum(z) / 2) && a !== z,
      `${c.id}: ${a} and ${z} not one /31`,
    );
  }

  // Ports: cabled ⇔ up; BGP sessions reciprocal; lossless queues as the transport says.
  const { pfc, ecn } = scenario.cluster.transport;
  for (const [host, db] of configs) {
    for (const [port, p] of Object.entries(db.PORT)) {
      const cabled = portsUsed.has(`${host}:${port}`);
      ok(
        p.admin_status === (cabled ? "up" : "down"),
        `${host}:${port} cabled=${cabled} but ${p.admin_status}`,
      );
      if (p.admin_status === "up") {
        ok(db.PORT_QOS_MAP[port]?.pfc_enable === (pfc ? "3" : undefined), `${host}:${port} pfc_enable`);
        ok((db.BUFFER_PG?.[`${port}|3`] !== undefined) === pfc, `${host}:${port} lossless PG`);
        ok(db.QUEUE?.[`${port}|3`]?.wred_profile === "WEFT_LOSSLESS", `${host}:${port} ECN queue`);
      }
    }
    if (ecn) {
      const w = db.WRED_PROFILE?.WEFT_LOSSLESS;
      ok(Number(w?.green_min_threshold) === Math.round(ecn.min), `${host}: ECN min`);
      ok(Number(w?.green_max_threshold) === Math.round(ecn.max), `${host}: ECN max`);
    }
    for (const [peerIp, n] of Object.entries(db.BGP_NEIGHBOR)) {
      const peer = configs.get(owner.get(peerIp) ?? "");
      ok(peer !== undefined, `${host} → ${peerIp}: no switch owns it`);
      if (!peer) continue;
      ok(peer.DEVICE_METADATA.localhost.hostname === n.name, `${host} → ${peerIp}: name ${n.name}`);
      ok(peer.DEVICE_METADATA.localhost.bgp_asn === n.asn, `${host} → ${n.name}: ASN ${n.asn}`);
      const back = peer.BGP_NEIGHBOR[n.local_addr];
      ok(back !== undefined, `${n.name} → ${host}: no session back`);
      ok(back?.asn === db.DEVICE_METADATA.localhost.bgp_asn, `${n.name} → ${host}: ASN ${back?.asn}`);
      ok(back?.local_addr === peerIp, `${n.name} → ${host}: local address`);
      ok(n.asn !== db.DEVICE_METADATA.localhost.bgp_asn, `${host} → ${n.name}: eBGP with its own ASN`);
    }
  }
  return { errors, cables: cables.length, switches: configs.size };
}

function checkExportInvariants(scenario: Scenario) {
  const result = invariantErrors(scenario, exportAll(scenario));
  expect(result.errors).toEqual([]);
  return result;
}

describe("export invariants on every example fabric", () => {
  for (const file of examples) {
    it(file, () => {
      const scenario = loadScenario(path.join(dir, file));
      const { cables, switches } = checkExportInvariants(scenario);
      console.log(`${file}: ${cables} cables, ${switches} switch configs`);
    }, 300_000);
  }

  it("a lossless transport gets PFC on queue 3 and the transport's ECN thresholds", () => {
    const scenario = loadScenario(path.join(dir, "quickstart.yaml"));
    scenario.cluster.transport = {
      ...scenario.cluster.transport,
      pfc: true,
      ecn: { min: 50_000, max: 200_000 },
    };
    checkExportInvariants(scenario);
    const fabric = buildScenarioFabric(scenario);
    const leaf = exportFabric(scenario, fabric, "sonic").find((f) => f.path.includes("/leaf-0/"))!;
    const db = JSON.parse(leaf.content) as SonicConfigDb;
    expect(db.PORT_QOS_MAP.Ethernet0.pfc_enable).toBe("3");
    expect(db.WRED_PROFILE?.WEFT_LOSSLESS.green_max_threshold).toBe("200000");
    expect(Object.keys(db.BUFFER_PROFILE ?? {}).length).toBeGreaterThan(0);
  });
});

describe("the invariant check itself", () => {
  const scenario = loadScenario(path.join(dir, "quickstart.yaml"));
  const breakOne = (edit: (db: SonicConfigDb) => void) => {
    const exported = exportAll(scenario);
    const file = exported.sonic.find((f) => f.path.includes("/spine-0/"))!;
    const db = JSON.parse(file.content) as SonicConfigDb;
    edit(db);
    file.content = JSON.stringify(db);
    return invariantErrors(scenario, exported).errors;
  };

  it("catches a session whose ASN does not match", () => {
    const errors = breakOne((db) => {
      const first = Object.values(db.BGP_NEIGHBOR)[0];
      first.asn = "65000";
    });
    expect(errors.some((e) => e.includes("ASN"))).toBe(true);
  });

  it("catches a cabled port left down and an address used twice", () => {
    const errors = breakOne((db) => {
      db.PORT.Ethernet0.admin_status = "down";
      db.LOOPBACK_INTERFACE = { Loopback0: {}, "Loopback0|10.0.0.0/32": {} };
    });
    expect(errors.some((e) => e.includes("Ethernet0 cabled=true"))).toBe(true);
    expect(errors.some((e) => e.startsWith("10.0.0.0"))).toBe(true);
  });
});
