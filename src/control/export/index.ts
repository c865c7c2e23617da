/**
 * Exports of a built fabric: `exportFabric(scenario, fabric, format)` returns the files to write (relative
 * path → content); the CLI writes them atomically. Formats: cabling, graph, sonic, hosts.
 */

import type { Catalog } from "../../catalog/types.js";
import { WeftError } from "../../errors.js";
import type { ClusterSpec } from "../../scenario/types.js";
import type { Fabric } from "../../topology/fabric.js";
import { portMap } from "../../topology/names.js";
import { checkIsolation } from "../tenants/isolation.js";
import { addressPlan } from "./addresses.js";
import { type Cable, scaleOutCables } from "./cables.js";
import { cablingCsv } from "./cabling.js";
import { CONTAINERLAB_MAX_NODES, containerlabTopology, graphDot, graphJson } from "./graph.js";
import { hostsPlan } from "./hosts.js";
import { sonicConfigs } from "./sonic.js";
import { sonicConfigDb } from "./sonic-schema.js";

export const EXPORT_FORMATS = ["cabling", "graph", "sonic", "hosts"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The files each format writes, relative to the export folder; sonic writes `sonic/<switch>/config_db.json`. */
const FORMAT_FILES: Record<ExportFormat, readonly string[]> = {
  cabling: ["cabling.csv"],
  graph: ["graph.json", "graph.dot", "containerlab.clab.yml"],
  sonic: [],
  hosts: ["hosts.json"],
};

/** Whether `format` may write `rel` (a path relative to the export folder), whatever the fabric. */
export function mayWrite(format: ExportFormat, rel: string): boolean {
  const parts = rel.split(/[\\/]/);
  if (format === "sonic") return parts.length === 3 && parts[0] === "sonic" && parts[2] === "config_db.json";
  return FORMAT_FILES[format].includes(rel);
}

export interface ExportFile {
  path: string;
  content: string;
}

export interface ExportOptions {
  /** The VRF of each NIC-facing port, by cable index (tenants isolated by VRF). */
  vrfOfCable?: (fabric: Fabric, cables: Cable[]) => (k: number) => string | undefined;
  /**
   * The tenant of each NIC-facing port, by cable index: with it, the SONiC export reads each port's VRF back
   * from the configs it made and fails when a route, or one VRF, joins two tenants (`checkIsolation`).
   */
  tenantOfCable?: (fabric: Fabric, cables: Cable[]) => (k: number) => string | undefined;
  /** Check every generated config_db.json against the schema (on by default). */
  validate?: boolean;
  /** Collects what the user should know (an InfiniBand switch given SONiC configs, ...). */
  warnings?: string[];
}

/** InfiniBand switch families (NVIDIA Quantum): no SONiC; tenants get partition keys instead of VRFs. */
export function isInfiniBand(switchId: string): boolean {
  return /^(QM\d|Q3\d|QM-|Quantum)/i.test(switchId);
}

/** What an export needs of a scenario (a Scenario is one). */
export interface ExportSubject {
  name: string;
  cluster: ClusterSpec;
  catalog?: Partial<Pick<Catalog, "optics">>;
}

export function exportFabric(
  scenario: ExportSubject,
  fabric: Fabric,
  format: ExportFormat,
  options: ExportOptions = {},
): ExportFile[] {
  const { cluster } = scenario;
  const ports = portMap(fabric, cluster.scaleOut.switch);
  const cables = scaleOutCables(fabric, ports);
  if (format === "cabling") {
    const csv = cablingCsv(fabric, cables, {
      optics: scenario.catalog?.optics,
      planes: cluster.scaleOut.planes,
    });
    return [{ path: "cabling.csv", content: csv }];
  }
  if (format === "graph") {
    const files = [
      { path: "graph.json", content: `${JSON.stringify(graphJson(fabric, ports))}\n` },
      { path: "graph.dot", content: graphDot(fabric, ports, scenario.name) },
    ];
    const members = new Set<number>();
    for (const c of cables) members.add(c.a).add(c.z);
    if (members.size && members.size <= CONTAINERLAB_MAX_NODES) {
      files.push({
        path: "containerlab.clab.yml",
        content: containerlabTopology(fabric, cables, ports, scenario.name),
      });
    }
    return files;
  }
  const plan = addressPlan(fabric, cables);
  if (format === "hosts") {
    return [
      {
        path: "hosts.json",
        content: `${JSON.stringify(hostsPlan(fabric, cluster, cables, plan), null, 2)}\n`,
      },
    ];
  }
  const sw = cluster.scaleOut.switch;
  if (isInfiniBand(sw.id)) {
    options.warnings?.push(
      `sonic: ${sw.id} is an InfiniBand switch; the configs describe an Ethernet (RoCE) fabric of the same shape`,
    );
  }
  const files: ExportFile[] = [];
  const vrfAt = new Map<string, string>();
  const configs = sonicConfigs({
    fabric,
    cluster,
    cables,
    ports,
    plan,
    vrfOfCable: options.vrfOfCable?.(fabric, cables),
  });
  for (const { hostname, config } of configs) {
    if (options.validate !== false) {
      const r = sonicConfigDb.safeParse(config);
      if (!r.success) {
        const issue = r.error.issues[0];
        throw new WeftError(
          `sonic: ${hostname}/config_db.json fails the schema: ${issue.message} at ${issue.path.join(".")}`,
        );
      }
    }
    files.push({ path: `sonic/${hostname}/config_db.json`, content: `${JSON.stringify(config, null, 2)}\n` });
    for (const [port, v] of Object.entries(config.INTERFACE))
      if (v.vrf_name && !port.includes("|")) vrfAt.set(`${hostname}:${port}`, v.vrf_name);
  }
  if (options.tenantOfCable) checkTenants(fabric, cables, options.tenantOfCable(fabric, cables), vrfAt);
  return files;
}

/** Isolation over the VRFs as configured (`host:port` → VRF of each leaf's host ports). */
function checkTenants(
  fabric: Fabric,
  cables: Cable[],
  tenantOfCable: (k: number) => string | undefined,
  vrfAt: Map<string, string>,
): void {
  const names = fabric.nodes.names;
  const labelOfCable = (k: number) => vrfAt.get(`${names[cables[k].z]}:${cables[k].zPort}`);
  const { joins } = checkIsolation({ fabric, cables, tenantOfCable, labelOfCable });
  if (joins.length > 0) {
    throw new WeftError(
      `sonic: the VRFs as configured join tenants ${joins.join(", ")}; expected each tenant alone in its own VRF`,
    );
  }
}
