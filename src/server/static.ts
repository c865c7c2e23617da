/**
 * The dashboard's built files (dist/web), served as they are: every file is listed once at start, so a
 * request can only ever name one of them (no path from a client reaches the file system).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { noSuchEndpoint } from "./security.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".woff2": "font/woff2",
};

/** dist/web beside dist/server when built; from src/server, the built one at the repository root. */
export function defaultWebDir(): string | undefined {
  const candidates = ["../web/", "../../dist/web/"].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  return candidates.find((d) => existsSync(path.join(d, "index.html")));
}

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir).flatMap((f) => {
    const full = path.join(dir, f);
    return statSync(full).isDirectory() ? listFiles(full, `${prefix}${f}/`) : [`${prefix}${f}`];
  });
}

export function serveDashboard(app: FastifyInstance, dir: string | undefined): void {
  const files = new Map<string, string>();
  if (dir) for (const f of listFiles(dir)) files.set(`/${f}`, path.join(dir, f));
  app.get("/*", { schema: { hide: true } }, async (req, reply) => {
    const url = req.url.split("?")[0];
    const file = files.get(url === "/" ? "/index.html" : url);
    if (!file) {
      // An API path no route took is answered as the API answers it, not as a missing dashboard file.
      if (url.startsWith("/api/")) return noSuchEndpoint(req, reply);
      const hint = dir ? "" : "; the dashboard is not built (npm run build)";
      return reply.code(404).send({ error: `not found: ${url}${hint}` });
    }
    const immutable = url.startsWith("/assets/");
    return reply
      .header("content-type", TYPES[path.extname(file)] ?? "application/octet-stream")
      .header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache")
      .send(readFileSync(file));
  });
}
