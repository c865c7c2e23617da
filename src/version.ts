/**
 * Weft's version, as its package.json says: the nearest package.json named "weft" above this module, so it
 * is found from src/, from dist/ and from the bundled dist/bin/ alike.
 */
import { existsSync, readFileSync } from "node:fs";

let cached: string | undefined;

export function weftVersion(): string {
  cached ??= readVersion();
  return cached;
}

function readVersion(): string {
  for (let dir = new URL("./", import.meta.url); ; dir = new URL("../", dir)) {
    const file = new URL("package.json", dir);
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "weft") return String(pkg.version);
    }
    if (dir.pathname === "/") throw new Error("weft's package.json was not found above its modules");
  }
}
