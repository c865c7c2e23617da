// `weft export` and `weft plan --names` as a user runs them.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXPORT_FORMATS, mayWrite } from "../../src/control/export/index.js";
import { sonicConfigDb } from "../../src/control/export/sonic-schema.js";
import { weft } from "./run-cli.js";

describe("weft export", () => {
  it("writes every format for an example, and the SONiC configs pass the schema", () => {
    const out = mkdtempSync(path.join(tmpdir(), "weft-export-"));
    const r = weft([
      "export",
      "examples/mi300x-mesh-single-switch.yaml",
      "--format",
      "cabling,graph,sonic,hosts",
      "--out",
      out,
      "--json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const { files } = JSON.parse(r.stdout) as { files: string[] };
    for (const f of ["cabling.csv", "graph.json", "graph.dot", "containerlab.clab.yml", "hosts.json"]) {
      expect(existsSync(path.join(out, f)), f).toBe(true);
    }
    // Every file is one the folder check before the export foresees (mayWrite), so none can slip past it.
    for (const f of files) {
      const rel = path.relative(out, f);
      expect(
        EXPORT_FORMATS.some((format) => mayWrite(format, rel)),
        rel,
      ).toBe(true);
    }
    const switches = readdirSync(path.join(out, "sonic"));
    expect(switches.length).toBeGreaterThan(0);
    expect(files.length).toBe(5 + switches.length);
    for (const s of switches) {
      const db = JSON.parse(readFileSync(path.join(out, "sonic", s, "config_db.json"), "utf8"));
      expect(sonicConfigDb.safeParse(db).success).toBe(true);
      expect(db.DEVICE_METADATA.localhost.hostname).toBe(s);
    }
    expect(readdirSync(out).some((f) => f.startsWith(".weft-tmp"))).toBe(false);
  });

  it("rejects an unknown format with exit 2 and names the valid ones", () => {
    const r = weft(["export", "examples/quickstart.yaml", "--format", "visio", "--out", tmpdir()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown format; expected one of cabling, graph, sonic, hosts");
    expect(r.stderr).not.toContain("    at ");
  });

  it("puts each tenant's servers in its own VRF, and refuses a server that does not exist", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "weft-export-"));
    const tenants = path.join(dir, "tenants.yaml");
    writeFileSync(tenants, "tenants:\n  blue: [mi300x-n0, mi300x-n1]\n  red: [mi300x-n2]\n");
    const r = weft([
      "export",
      "examples/mi300x-mesh-single-switch.yaml",
      "--format",
      "sonic",
      "--tenants",
      tenants,
      "--out",
      dir,
    ]);
    expect(r.status).toBe(0);
    const db = JSON.parse(readFileSync(path.join(dir, "sonic/leaf-0/config_db.json"), "utf8"));
    expect(Object.keys(db.VRF)).toEqual(["Vrf_blue", "Vrf_red"]);
    const vrfs = Object.values(db.INTERFACE as Record<string, { vrf_name?: string }>).map((v) => v.vrf_name);
    expect(vrfs.filter((v) => v === "Vrf_blue")).toHaveLength(16);
    expect(vrfs.filter((v) => v === "Vrf_red")).toHaveLength(8);
    expect(sonicConfigDb.safeParse(db).success).toBe(true);
    writeFileSync(tenants, "tenants:\n  blue: [gpu-n0]\n");
    const bad = weft([
      "export",
      "examples/mi300x-mesh-single-switch.yaml",
      "--format",
      "sonic",
      "--tenants",
      tenants,
      "--out",
      dir,
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("no server named gpu-n0");
  });

  it("gives tenants whose names cut or replaced would meet a VRF each", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "weft-export-"));
    const tenants = path.join(dir, "T");
    writeFileSync(
      tenants,
      "tenants:\n  research-team-1: [gpu-n0]\n  research-team-2: [gpu-n1]\n  bl_ue: [gpu-n2]\n  'bl ue': [gpu-n3]\n",
    );
    const out = path.join(dir, "tout");
    const r = weft([
      "export",
      "examples/quickstart.yaml",
      "--format",
      "sonic",
      "--out",
      out,
      "--tenants",
      tenants,
    ]);
    expect(r.status).toBe(0);
    const db = JSON.parse(readFileSync(path.join(out, "sonic/leaf-0/config_db.json"), "utf8"));
    const vrfs = Object.values(db.INTERFACE as Record<string, { vrf_name?: string }>)
      .map((v) => v.vrf_name)
      .filter((v) => v !== undefined);
    expect(Object.keys(db.VRF)).toHaveLength(4);
    for (const vrf of Object.keys(db.VRF))
      expect(
        vrfs.filter((v) => v === vrf),
        vrf,
      ).toHaveLength(8);
    expect(sonicConfigDb.safeParse(db).success).toBe(true);
  });

  it("says when an InfiniBand switch gets SONiC configs, and which partition key each tenant would get", () => {
    const out = mkdtempSync(path.join(tmpdir(), "weft-export-"));
    const tenants = path.join(out, "tenants.yaml");
    writeFileSync(tenants, "tenants:\n  red: [gpu-n0]\n  blue: [gpu-n1]\n");
    const r = weft([
      "export",
      "examples/quickstart.yaml",
      "--format",
      "sonic",
      "--tenants",
      tenants,
      "--out",
      out,
    ]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(
      "QM9700 is an InfiniBand switch; the configs describe an Ethernet (RoCE) fabric",
    );
    expect(r.stderr).toContain(
      "tenants: QM9700 is an InfiniBand switch, where tenants are partition keys (blue 0x0100, red 0x0101)",
    );
  });
});

describe("weft plan --names", () => {
  it("lists devices with their ports, as failures refer to them", () => {
    const r = weft(["plan", "examples/quickstart.yaml", "--names", "--json"]);
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      devices: { name: string; ports: { port: string; peer: string }[] }[];
    };
    const leaf = plan.devices.find((d) => d.name === "leaf-3");
    expect(leaf?.ports[0].port).toBe("Ethernet0");
    expect(plan.devices.some((d) => d.name === "gpu-n0-a0")).toBe(true);
    const human = weft(["plan", "examples/quickstart.yaml", "--names"]);
    expect(human.stdout).toMatch(/^leaf-0 \(switch, leaf\)$/m);
    expect(human.stdout).toMatch(/^ {2}Ethernet0 → gpu-n0-a0:eth0$/m);
  });
});
