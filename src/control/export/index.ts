/**
 * Exports of a built fabric: `exportFabric(scenario, fabric, format)` returns the files to write (relative
 * path → content); the CLI writes them atomically. Formats: cabling, graph, sonic, hosts.
 */

import type { Catalog } from "../../catalog/types.js";
import { WeftError } from "../../errors.js";
import type { ClusterSpec } from "../../scenario/types.js";
import type { Fabric } from "../../topology/fabric.js";
import { portMap } from "../../topology/names.js";
import { addressPlan } from "./addresses.js";
import { type Cable, scaleOutCables } from "./cables.js";
import { cablingCsv } from "./cabling.js";
import { CONTAINERLAB_MAX_NODES, containerlabTopology, graphDot, graphJson } from "./graph.js";
import { hostsPlan } from "./hosts.js";
import { sonicConfigs } from "./sonic.js";
import { sonicConfigDb } from "./sonic-schema.js";

export const EXPORT_FORMATS = ["cabling", "graph", "sonic", "hosts"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportFile {
  path: string;
  content: string;
}

export interface ExportOptions {
  /** The VRF of each NIC-facing port, by cable index (tenants isolated by VRF). */
  vrfOfCable?: (fabric: Fabric, cables: Cable[]) => (k: number) => string | undefined;
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
  }
  return files;
}
