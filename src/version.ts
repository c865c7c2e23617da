/** Weft's version, as package.json says (two folders up from both src/ and dist/ files that import this). */
import { readFileSync } from "node:fs";

let cached: string | undefined;

export function weftVersion(): string {
  cached ??= String(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version);
  return cached;
}
