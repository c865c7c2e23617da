// The layer order of src/ is enforced by dependency-cruiser (.dependency-cruiser.cjs, run by `npm run lint`):
// one rule per forbidden direction, no violation in src/, and a violation is caught and named.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/data.js";

const CONFIG = path.join(REPO_ROOT, ".dependency-cruiser.cjs");
const DEPCRUISE = path.join(REPO_ROOT, "node_modules", ".bin", "depcruise");
/** The order the architecture names; the configuration may place more folders between them. */
const NAMED = [
  "units",
  "catalog",
  "scenario",
  "results",
  "topology",
  "routing",
  "sim",
  "collectives",
  "workload",
  "control",
  "report",
  "cli",
];
const config = createRequire(import.meta.url)(CONFIG) as { forbidden: { name: string }[] };
/** The configuration's order, read back from its rules: a layer comes before every layer it may not import. */
const LAYERS = layerOrder(config.forbidden.map((r) => r.name));

function layerOrder(ruleNames: string[]): string[] {
  const later = new Map<string, number>();
  for (const name of ruleNames) {
    const m = /^([a-z]+)-not-to-([a-z]+)$/.exec(name);
    if (!m || m[2] === "shells") continue;
    later.set(m[1], (later.get(m[1]) ?? 0) + 1);
    if (!later.has(m[2])) later.set(m[2], 0);
  }
  return [...later.entries()].sort((a, b) => b[1] - a[1]).map(([layer]) => layer);
}

function cruise(cwd: string): { status: number; output: string } {
  const r = spawnSync(DEPCRUISE, ["src", "--config", CONFIG, "--output-type", "err"], {
    cwd,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

describe("layer order", () => {
  it("keeps the named order units → … → cli and lists every folder of src/", () => {
    const positions = NAMED.map((layer) => LAYERS.indexOf(layer));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const folders = readdirSync(path.join(REPO_ROOT, "src"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    for (const folder of folders) expect(LAYERS).toContain(folder);
  });

  it("has one rule for each forbidden direction of the order", () => {
    const names = new Set(config.forbidden.map((r) => r.name));
    LAYERS.forEach((lower, i) => {
      for (const upper of LAYERS.slice(i + 1)) expect(names).toContain(`${lower}-not-to-${upper}`);
      for (const below of LAYERS.slice(0, i)) expect(names).not.toContain(`${lower}-not-to-${below}`);
    });
  });

  it("src/ has no import against the order", () => {
    const r = cruise(REPO_ROOT);
    expect(r.output).toMatch(/no dependency violations found/);
    expect(r.status).toBe(0);
  });

  it("an import up the order is caught and named", () => {
    const root = mkdtempSync(path.join(tmpdir(), "weft-layers-"));
    try {
      mkdirSync(path.join(root, "src", "sim"), { recursive: true });
      mkdirSync(path.join(root, "src", "workload"), { recursive: true });
      writeFileSync(
        path.join(root, "src", "sim", "x.ts"),
        'import { y } from "../workload/y.js";\nexport const x = y;\n',
      );
      writeFileSync(path.join(root, "src", "workload", "y.ts"), "export const y = 1;\n");
      const r = cruise(root);
      expect(r.status).not.toBe(0);
      expect(r.output).toContain("sim-not-to-workload: src/sim/x.ts → src/workload/y.ts");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
