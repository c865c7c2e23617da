// Tenants on Ethernet are VRFs: every tenant gets its own, named from its name alone and valid for SONiC,
// even where cutting or replacing characters would make two names one (research-team-1 and
// research-team-2, bl_ue and "bl ue"); a VRF two tenants share joins them, and the SONiC export refuses it.
import { createHash } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scaleOutCables } from "../../src/control/export/cables.js";
import { exportFabric } from "../../src/control/export/index.js";
import { type SonicConfigDb, sonicConfigDb } from "../../src/control/export/sonic-schema.js";
import { parseTenantServers, tenantOfCableFn, vrfOfCableFn } from "../../src/control/tenants/assignment.js";
import { checkIsolation, VRF_MAX_LENGTH, vrfName, vrfNames } from "../../src/control/tenants/isolation.js";
import { loadScenario } from "../../src/scenario/load.js";
import { buildScenarioFabric } from "../../src/topology/build.js";
import { portMap } from "../../src/topology/names.js";
import { REPO_ROOT } from "../helpers/data.js";

const COLLIDING = [
  ["research-team-1", "research-team-2"],
  ["bl_ue", "bl ue"],
  ["a-very-long-tenant-name-x", "a-very-long-tenant-name-y"],
];

describe("VRF names", () => {
  it("are SONiC VRF names: Vrf, then at most 12 of [A-Za-z0-9_-]", () => {
    for (const t of [...COLLIDING.flat(), "blue", "x", "ténant/ü", " ", "12345678901", "123456789012"]) {
      const vrf = vrfName(t);
      expect(vrf, t).toMatch(/^Vrf[A-Za-z0-9_-]{1,12}$/);
      expect(vrf.length).toBeLessThanOrEqual(VRF_MAX_LENGTH);
    }
  });

  it("keep a name that fits as it is, and tell apart names that cutting or replacing would merge", () => {
    expect(vrfName("blue")).toBe("Vrf_blue");
    expect(vrfName("bl_ue")).toBe("Vrf_bl_ue");
    expect(vrfName("12345678901")).toBe("Vrf_12345678901");
    for (const [a, b] of COLLIDING) expect(vrfName(a), `${a} / ${b}`).not.toBe(vrfName(b));
    const digest = createHash("sha256").update("research-team-1").digest("hex").slice(0, 6);
    expect(vrfName("research-team-1")).toBe(`Vrf-rese_${digest}`);
  });

  it("depend on the tenant's name alone, not on the other tenants", () => {
    const alone = vrfNames(["research-team-1"]);
    const together = vrfNames(["research-team-2", "bl ue", "research-team-1"]);
    expect(together.get("research-team-1")).toBe(alone.get("research-team-1"));
    expect(new Set(together.values()).size).toBe(3);
  });

  it("fail, naming both tenants, when two hashed names still meet", () => {
    // Two long names with one start whose 24-bit digests agree, found by counting up.
    const seen = new Map<string, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const t = `team-number-${i}`;
      const other = seen.get(vrfName(t));
      if (other) pair = [other, t];
      seen.set(vrfName(t), t);
    }
    expect(() => vrfNames(pair)).toThrow(
      `tenants "${pair[0]}" and "${pair[1]}" both get the VRF ${vrfName(pair[0])}; expected tenant names`,
    );
  });
});

describe("tenants in VRFs on the quickstart fabric", () => {
  const scenario = loadScenario(path.join(REPO_ROOT, "examples/quickstart.yaml"));
  const fabric = buildScenarioFabric(scenario);
  const cables = scaleOutCables(fabric, portMap(fabric, scenario.cluster.scaleOut.switch));
  const owner = parseTenantServers({
    tenants: {
      "research-team-1": ["gpu-n0"],
      "research-team-2": ["gpu-n1"],
      bl_ue: ["gpu-n2"],
      "bl ue": ["gpu-n3"],
    },
  });
  const tenantOfCable = tenantOfCableFn(owner, fabric, cables);
  const tenants = ["bl ue", "bl_ue", "research-team-1", "research-team-2"];

  it("each tenant's 8 host ports in its own VRF, and the search finds no join", () => {
    const files = exportFabric(scenario, fabric, "sonic", {
      warnings: [],
      vrfOfCable: vrfOfCableFn(owner),
      tenantOfCable: (f, c) => tenantOfCableFn(owner, f, c),
    });
    const portsOf = new Map<string, number>();
    for (const f of files) {
      const db = JSON.parse(f.content) as SonicConfigDb;
      expect(sonicConfigDb.safeParse(db).success).toBe(true);
      for (const [key, v] of Object.entries(db.INTERFACE))
        if (!key.includes("|") && v.vrf_name) portsOf.set(v.vrf_name, (portsOf.get(v.vrf_name) ?? 0) + 1);
    }
    expect([...portsOf.keys()].sort()).toEqual(tenants.map(vrfName).sort());
    expect([...portsOf.values()]).toEqual([8, 8, 8, 8]);
    const labelOfCable = (k: number) => {
      const t = tenantOfCable(k);
      return t === undefined ? undefined : vrfName(t);
    };
    expect(checkIsolation({ fabric, cables, tenantOfCable, labelOfCable }).joins).toEqual([]);
  });

  it("a VRF shared by two tenants is a join: the check reports it and the export refuses it", () => {
    // The names cut to 15 characters with `_` for every other character: both pairs collide.
    const merged = (t: string) => `Vrf_${t.replace(/[^A-Za-z0-9_-]/g, "_")}`.slice(0, 15);
    const labelOfCable = (k: number) => {
      const t = tenantOfCable(k);
      return t === undefined ? undefined : merged(t);
    };
    const joins = ["bl ue ↔ bl_ue", "research-team-1 ↔ research-team-2"];
    expect(checkIsolation({ fabric, cables, tenantOfCable, labelOfCable }).joins).toEqual(joins);
    expect(() =>
      exportFabric(scenario, fabric, "sonic", {
        warnings: [],
        vrfOfCable: () => labelOfCable,
        tenantOfCable: () => tenantOfCable,
      }),
    ).toThrow(`sonic: the VRFs as configured join tenants ${joins.join(", ")}; expected each tenant alone`);
  });
});
