// Tenants on InfiniBand are partition keys: every host port carries its tenant's key, switch-to-switch
// ports carry every key unchanged, and the isolation search finds no route between two tenants until one
// port is given another tenant's key. Keys follow tenant names, so a tenants file's order does not matter.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scaleOutCables } from "../../src/control/export/cables.js";
import { isInfiniBand } from "../../src/control/export/index.js";
import {
  parseTenantServers,
  partitionKeyOfCableFn,
  partitionKeys,
  tenantOfCableFn,
} from "../../src/control/tenants/assignment.js";
import { checkIsolation, partitionKey } from "../../src/control/tenants/isolation.js";
import { loadScenario } from "../../src/scenario/load.js";
import { buildScenarioFabric } from "../../src/topology/build.js";
import { portMap } from "../../src/topology/names.js";
import { REPO_ROOT } from "../helpers/data.js";

describe("InfiniBand tenants by partition key", () => {
  const scenario = loadScenario(path.join(REPO_ROOT, "examples/quickstart.yaml"));
  const fabric = buildScenarioFabric(scenario);
  const cables = scaleOutCables(fabric, portMap(fabric, scenario.cluster.scaleOut.switch));
  // Four servers to a leaf: red and blue share leaf-0 and leaf-1, and red has a server on leaf-2 too.
  const owner = parseTenantServers({
    tenants: { red: ["gpu-n0", "gpu-n1", "gpu-n4", "gpu-n8"], blue: ["gpu-n2", "gpu-n3", "gpu-n5"] },
  });

  it("gives keys in tenant-name order, within the range a subnet manager accepts", () => {
    expect(isInfiniBand(scenario.cluster.scaleOut.switch.id)).toBe(true);
    expect([...partitionKeys(owner)]).toEqual([
      ["blue", "0x0100"],
      ["red", "0x0101"],
    ]);
    expect(partitionKey(0x7efe)).toBe("0x7ffe");
    expect(() => partitionKey(0x7eff)).toThrow("expected at most 32511 tenants (keys 0x0100-0x7ffe)");
  });

  it("no route joins two partitions; one port with another tenant's key is found", () => {
    const tenantOfCable = tenantOfCableFn(owner, fabric, cables);
    const leavesOf = (t: string) =>
      new Set(cables.filter((_, k) => tenantOfCable(k) === t).map((c) => fabric.nodes.names[c.z]));
    expect([...leavesOf("blue")].every((leaf) => leavesOf("red").has(leaf))).toBe(true);
    const labelOfCable = partitionKeyOfCableFn(owner)(fabric, cables);
    const labels = new Set(cables.map((_, k) => labelOfCable(k)).filter((x) => x !== undefined));
    expect(labels).toEqual(new Set(["0x0100", "0x0101"]));
    const report = checkIsolation({ fabric, cables, tenantOfCable, labelOfCable });
    expect(report.searched).toBeGreaterThan(0);
    expect(report.joins).toEqual([]);
    const red = cables.findIndex((_, k) => tenantOfCable(k) === "red");
    const leaky = checkIsolation({
      fabric,
      cables,
      tenantOfCable,
      labelOfCable: (k) => (k === red ? "0x0100" : labelOfCable(k)),
    });
    expect(leaky.joins).toEqual(["blue ↔ red"]);
  });
});
