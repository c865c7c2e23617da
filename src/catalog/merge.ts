/**
 * A scenario's `hardware:` section over the built-in catalog: same shape as the catalog; an existing id
 * (or alias) has the given fields overridden, a new id adds an entry. Values may be unit strings.
 */
import type { SourcePosition } from "../errors.js";
import { positionedError } from "../errors.js";
import { expectedField, FIELDS, type FieldTable, type FieldType, parseField } from "./fields.js";
import { CATALOG_KINDS, type CatalogKind, findEntry, KIND_NOUN, resolveId } from "./find.js";
import { unknownKeyMessage } from "./nearest.js";
import { completeEntry, missingFields, REQUIRED_FIELDS } from "./new-entry.js";
import type { Catalog } from "./types.js";

/** Per kind, per id: the fields to set (a partial entry, nested like the entry). */
export type CatalogOverrides = { [K in CatalogKind]?: Record<string, Record<string, unknown>> };

/** Where a path of the overrides was written: its key, or its value. */
export type Locate = (path: string[], part: "key" | "value") => SourcePosition;

export interface MergeOptions {
  locate?: Locate;
  /** Name of the overrides in messages (default `hardware`, the scenario key). */
  label?: string;
}

type Plain = Record<string, unknown>;

function isPlain(x: unknown): x is Plain {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** The merged catalog; `base` is not modified. Throws WeftError at the offending key or value. */
export function mergeCatalog(
  base: Catalog,
  overrides: CatalogOverrides | undefined,
  options: MergeOptions = {},
): Catalog {
  const label = options.label ?? "hardware";
  const fail = (path: string[], part: "key" | "value", message: string): never => {
    throw positionedError(options.locate?.(path, part) ?? {}, message);
  };
  const out: Catalog = {
    accelerators: { ...base.accelerators },
    scaleUp: { ...base.scaleUp },
    nics: { ...base.nics },
    switches: { ...base.switches },
    optics: { ...base.optics },
  };
  if (overrides === undefined || overrides === null) return out;
  if (!isPlain(overrides))
    fail([], "value", `${label} must be a mapping of catalog sections (${CATALOG_KINDS.join(", ")})`);
  for (const [kindKey, entries] of Object.entries(overrides as Plain)) {
    const kind = checkKey(kindKey, CATALOG_KINDS, [kindKey], label, fail) as CatalogKind;
    if (!isPlain(entries)) fail([kind], "value", `${label}.${kind} must be a mapping of ids to entries`);
    for (const [id, fields] of Object.entries(entries as Plain)) {
      mergeEntry(out, kind, id, fields, `${label}.${kind}`, fail);
    }
  }
  checkReferences(out, overrides as Plain, options);
  return out;
}

type Fail = (path: string[], part: "key" | "value", message: string) => never;

function checkKey(
  key: string,
  allowed: readonly string[],
  path: string[],
  where: string,
  fail: Fail,
): string {
  if (allowed.includes(key)) return key;
  return fail(path, "key", unknownKeyMessage(key, where, allowed));
}

function mergeEntry(
  out: Catalog,
  kind: CatalogKind,
  id: string,
  fields: unknown,
  where: string,
  fail: Fail,
): void {
  if (!isPlain(fields)) fail([kind, id], "value", `${where}.${id} must be a mapping of fields`);
  const patch = parseFields(FIELDS[kind], fields as Plain, [kind, id], `${where}.${id}`, fail);
  if (patch.id !== undefined && patch.id !== id) {
    fail(
      [kind, id, "id"],
      "value",
      `${where}.${id}.id is "${patch.id}"; it must equal its key "${id}" or be left out`,
    );
  }
  const existing = resolveId(out, kind, id);
  if (existing !== undefined) {
    const merged = deepMerge(out[kind][existing] as unknown as Plain, patch);
    // The driver's exposed memory belongs to the capacity it was read with: a new hbmBytes alone replaces
    // both (memory-fit checks read the exposed figure first).
    if (kind === "accelerators" && patch.hbmBytes !== undefined && patch.hbmExposedBytes === undefined)
      delete merged.hbmExposedBytes;
    (out[kind] as Record<string, unknown>)[existing] = { ...merged, id: existing };
    return;
  }
  const missing = missingFields(kind, patch);
  if (missing.length > 0) {
    fail(
      [kind, id],
      "key",
      `new ${KIND_NOUN[kind]} "${id}" in ${where} lacks ${missing.map((m) => `"${m}"`).join(", ")}; ` +
        `a new entry must give ${REQUIRED_FIELDS[kind].join(", ")} (or name an existing id to override it: ` +
        `${Object.keys(out[kind]).join(", ")})`,
    );
  }
  (out[kind] as Record<string, unknown>)[id] = completeEntry(kind, id, patch);
}

function parseFields(table: FieldTable, fields: Plain, path: string[], where: string, fail: Fail): Plain {
  const patch: Plain = {};
  for (const [key, value] of Object.entries(fields)) {
    checkKey(key, Object.keys(table), [...path, key], where, fail);
    const type = table[key];
    if (typeof type === "object") {
      if (!isPlain(value))
        fail(
          [...path, key],
          "value",
          `${where}.${key} must be a mapping with ${Object.keys(type).join(", ")}`,
        );
      patch[key] = parseFields(type, value as Plain, [...path, key], `${where}.${key}`, fail);
      continue;
    }
    patch[key] = parseValue(type, value, [...path, key], `${where}.${key}`, fail);
  }
  return patch;
}

function parseValue(type: FieldType, value: unknown, path: string[], where: string, fail: Fail): unknown {
  try {
    return parseField(type, value);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return fail(
      path,
      "value",
      `${where}: ${why.includes("expected") ? why : `${why}; expected ${expectedField(type)}`}`,
    );
  }
}

function deepMerge(base: Plain, patch: Plain): Plain {
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    out[k] = isPlain(v) && isPlain(base[k]) ? deepMerge(base[k] as Plain, v) : v;
  }
  return out;
}

/** Every accelerator the overrides touched must name a scale-up fabric that exists. */
function checkReferences(out: Catalog, overrides: Plain, options: MergeOptions): void {
  const touched = isPlain(overrides.accelerators) ? Object.keys(overrides.accelerators) : [];
  for (const id of touched) {
    const key = resolveId(out, "accelerators", id) ?? id;
    const acc = out.accelerators[key];
    const fields = (overrides.accelerators as Plain)[id] as Plain;
    const path = fields.scaleUp !== undefined ? ["accelerators", id, "scaleUp"] : ["accelerators", id];
    findEntry(out, "scaleUp", acc.scaleUp, options.locate?.(path, "value") ?? {});
  }
}
