/**
 * The hardware catalog: built-in entries with their public sources, scenario overrides, and look-up by id.
 * See docs/catalog.md for every entry's figures, sources and the assumptions that fill missing ones.
 */
import { ACCELERATORS } from "./accelerators.js";
import { NICS } from "./nics.js";
import { OPTICS } from "./optics.js";
import { SCALE_UP } from "./scale-up.js";
import { SWITCHES } from "./switches.js";
import type { Catalog } from "./types.js";

export { positionedError } from "../errors.js";
export { pricePerFlopLikeH100 } from "./accelerators.js";
export { ALIASES } from "./aliases.js";
export { parseFlops } from "./fields.js";
export {
  CATALOG_KINDS,
  type CatalogEntry,
  type CatalogKind,
  findEntry,
  KIND_NOUN,
  resolveId,
} from "./find.js";
export { type CatalogOverrides, type Locate, type MergeOptions, mergeCatalog } from "./merge.js";
export { didYouMean, editDistance, nearestNames, unknownKeyMessage } from "./nearest.js";
export type * from "./types.js";

/** A fresh copy of the built-in catalog (callers may modify it freely). */
export function builtinCatalog(): Catalog {
  return structuredClone({
    accelerators: ACCELERATORS,
    scaleUp: SCALE_UP,
    nics: NICS,
    switches: SWITCHES,
    optics: OPTICS,
  });
}
