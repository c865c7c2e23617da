/** Looking up catalog entries by id or alias, with an error that names the nearest known ids. */
import type { SourcePosition } from "../errors.js";
import { positionedError } from "../errors.js";
import { ALIASES } from "./aliases.js";
import { nearestNames } from "./nearest.js";
import type { Catalog } from "./types.js";

export type CatalogKind = keyof Catalog;
export type CatalogEntry<K extends CatalogKind> = Catalog[K][string];

export const CATALOG_KINDS: readonly CatalogKind[] = [
  "accelerators",
  "scaleUp",
  "nics",
  "switches",
  "optics",
];

/** Singular words for messages: `unknown accelerator "H10"`. */
export const KIND_NOUN: Record<CatalogKind, string> = {
  accelerators: "accelerator",
  scaleUp: "scale-up fabric",
  nics: "NIC",
  switches: "switch",
  optics: "optic",
};

/** The catalog id an id or alias refers to, or undefined. */
export function resolveId(catalog: Catalog, kind: CatalogKind, id: string): string | undefined {
  if (Object.hasOwn(catalog[kind], id)) return id;
  const target = ALIASES[kind][id];
  if (target !== undefined && Object.hasOwn(catalog[kind], target)) return target;
  return undefined;
}

/**
 * The entry of this kind with this id (or alias). Throws a WeftError naming the unknown id, the nearest
 * known ids and, when given, where in the input the id was written.
 */
export function findEntry<K extends CatalogKind>(
  catalog: Catalog,
  kind: K,
  id: string,
  position: SourcePosition = {},
): CatalogEntry<K> {
  const key = resolveId(catalog, kind, id);
  if (key !== undefined) return catalog[kind][key] as CatalogEntry<K>;
  const known = Object.keys(catalog[kind]);
  const nearest = nearestNames(id, [...known, ...Object.keys(ALIASES[kind])], 3).map(
    (n) => ALIASES[kind][n] ?? n,
  );
  const unique = [...new Set(nearest)];
  throw positionedError(
    position,
    `unknown ${KIND_NOUN[kind]} "${id}"; nearest known ids: ${unique.map((n) => `"${n}"`).join(", ")}; ` +
      `known ${kind}: ${known.join(", ")}`,
  );
}
