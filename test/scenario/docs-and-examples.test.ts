// The reference docs name every key the schema accepts and every catalog id; every example loads.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { builtinCatalog, CATALOG_KINDS } from "../../src/catalog/index.js";
import { loadScenario } from "../../src/scenario/load.js";
import { scenarioSchema } from "../../src/scenario/schema.js";
import { REPO_ROOT } from "../helpers/data.js";

type Def = {
  type?: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  options?: unknown[];
  element?: unknown;
  in?: unknown;
};

/** Every key of every strict object reachable in the schema. */
function schemaKeys(schema: unknown, out = new Set<string>()): Set<string> {
  const def = (schema as { _zod?: { def?: Def } })?._zod?.def;
  if (!def) return out;
  if (def.shape) {
    for (const [k, v] of Object.entries(def.shape)) {
      out.add(k);
      schemaKeys(v, out);
    }
  }
  for (const child of [def.innerType, def.element, def.in, ...(def.options ?? [])]) {
    if (child) schemaKeys(child, out);
  }
  return out;
}

describe("docs", () => {
  it("docs/scenarios.md names every key of the schema", () => {
    const doc = readFileSync(path.join(REPO_ROOT, "docs/scenarios.md"), "utf8");
    const keys = [...schemaKeys(scenarioSchema)];
    expect(keys.length).toBeGreaterThan(80);
    const missing = keys.filter(
      (k) => !doc.includes(`\`${k}\``) && !doc.includes(`.${k}\``) && !doc.includes(`${k}:`),
    );
    expect(missing).toEqual([]);
  });

  it("docs/catalog.md has a row for every catalog entry", () => {
    const doc = readFileSync(path.join(REPO_ROOT, "docs/catalog.md"), "utf8");
    const catalog = builtinCatalog();
    const missing = CATALOG_KINDS.flatMap((kind) =>
      Object.keys(catalog[kind]).filter((id) => !doc.includes(`| ${id} |`)),
    );
    expect(missing).toEqual([]);
  });
});

describe("examples", () => {
  const dir = path.join(REPO_ROOT, "examples");
  const files = (() => {
    try {
      return readdirSync(dir).filter((f) => f.endsWith(".yaml") || f.endsWith(".json"));
    } catch {
      return [];
    }
  })();

  it.each(files.length ? files : ["(none)"])("%s loads", (f) => {
    if (f === "(none)") return;
    const s = loadScenario(path.join(dir, f));
    expect(s.name.length).toBeGreaterThan(0);
    expect(s.cluster.groups.length).toBeGreaterThan(0);
  });
});
