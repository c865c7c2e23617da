// Bundles the built command into dist/bin/: Weft's modules and its pure-JS dependencies (yaml, zod,
// commander, …) as one entry per process that starts them (the command and its worker threads) plus shared
// chunks, so a start reads a handful of files instead of hundreds. Packages that find files of their own
// at run time (native addons, Lua scripts, static assets, worker entries) stay in node_modules.
import { chmodSync, rmSync } from "node:fs";
import { build } from "esbuild";

const EXTERNAL = [
  "@duckdb/*",
  "piscina",
  "bullmq",
  "ioredis",
  "fastify",
  "@fastify/*",
  "fastify-type-provider-zod",
  "playwright-core",
];

// Chunk names carry content hashes: without a clean slate every build would leave the last one's behind.
rmSync(new URL("../dist/bin", import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: {
    main: "dist/cli/main.js",
    "pool-worker": "dist/sweep/pool-worker.js",
    "packet-worker": "dist/cli/packet-worker.js",
    "run-worker": "dist/server/run-worker.js",
  },
  outdir: "dist/bin",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: EXTERNAL,
  // CommonJS dependencies call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as weftCreateRequire } from 'node:module'; const require = weftCreateRequire(import.meta.url);",
  },
  logLevel: "warning",
  legalComments: "none",
});
chmodSync(new URL("../dist/bin/main.js", import.meta.url), 0o755);
