// The layer order of src/ is enforced by dependency-cruiser (.dependency-cruiser.cjs, run by `npm run lint`):
// one rule per forbidden direction, no violation in src/, and a violation is caught and named.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/data.js";

const CONFIG = path.join(REPO_ROOT, ".dependency-cruiser.cjs");
const DEPCRUISE = path.join(REPO_ROOT, "node_modules", ".bin", "depcruise");
const LAYERS = [
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

function cruise(cwd: string): { status: number; output: string } {
  const r = spawnSync(DEPCRUISE, ["src", "--config", CONFIG, "--output-type", "err"], {
    cwd,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

describe("layer order", () => {
  it("has one rule for each forbidden direction of units → … → cli", () => {
    const config = createRequire(import.meta.url)(CONFIG) as { forbidden: { name: string }[] };
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
