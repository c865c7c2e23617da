/**
 * The identity of a design point: a SHA-256 of the normalized scenario written as canonical JSON (keys
 * sorted, undefined dropped). Two files that differ only in key order, spelling of a quantity (`400Gbps` vs
 * `50GB/s`), defaults left out or the scenario's name describe the same point and get the same hash, so a
 * sweep never runs a point twice. The catalog is part of it: a `hardware` override is a different design.
 */
import { createHash } from "node:crypto";
import type { Scenario } from "../scenario/types.js";

/** JSON with object keys sorted at every level; `undefined` members are dropped, non-finite numbers are null. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : "null";
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (ArrayBuffer.isView(value)) return canonicalJson(Array.from(value as unknown as ArrayLike<number>));
  if (typeof value === "object") {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined && typeof o[k] !== "function")
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
  }
  return "null";
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** What defines a point: everything in the normalized scenario except its name, file, positions and warnings. */
export function normalizedDesign(scenario: Scenario): Record<string, unknown> {
  const { name: _name, file: _file, sourceMap: _map, warnings: _warnings, ...design } = scenario;
  return design;
}

/** Canonical JSON of each catalog object seen, as the catalog is large and shared by every point of a sweep. */
const catalogJson = new WeakMap<object, string>();

function canonicalCatalog(catalog: Scenario["catalog"]): string {
  let json = catalogJson.get(catalog);
  if (json === undefined) {
    json = canonicalJson(catalog);
    catalogJson.set(catalog, json);
  }
  return json;
}

/** The hash of the normalized scenario (hex SHA-256): the results store's key. */
export function scenarioHash(scenario: Scenario): string {
  const { catalog, ...rest } = normalizedDesign(scenario);
  return sha256(`${canonicalJson(rest)}\u0000${canonicalCatalog(catalog as Scenario["catalog"])}`);
}

/**
 * The hash of the parts the built fabric depends on (cluster, catalog, failures and seed): points with the
 * same one can share a built fabric and differ only in the workload or fidelity.
 */
export function fabricHash(scenario: Scenario): string {
  const { cluster, failures } = scenario;
  const rest = canonicalJson({ cluster, failures, seed: scenario.simulation.seed });
  return sha256(`${rest}\u0000${canonicalCatalog(scenario.catalog)}`);
}
