/**
 * Start-up of the built `weft` command as a user sees it: spawn `node dist/bin/main.js ARGS` (the bundled
 * command `npx weft` runs) several times and take the median wall time (the first start reads files cold,
 * the median is the usual case).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchCase } from "./case.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MAIN = path.join(ROOT, "dist", "bin", "main.js");

function newestSourceMs(dir: string): number {
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((e) => {
      const full = path.join(dir, e.name);
      return e.isDirectory() ? newestSourceMs(full) : statSync(full).mtimeMs;
    }),
  );
}

/** Builds and bundles dist/ when it is missing or older than src/ (outside the timed run). */
export function ensureBuilt(): void {
  if (existsSync(MAIN) && statSync(MAIN).mtimeMs >= newestSourceMs(path.join(ROOT, "src"))) return;
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  for (const args of [[tsc, "-p", "tsconfig.build.json"], [path.join(ROOT, "scripts", "bundle-cli.mjs")]]) {
    const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: "inherit" });
    if (r.status !== 0) throw new Error(`building dist/ failed: ${args.join(" ")}`);
  }
}

function startS(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, encoding: "utf8" });
  const s = (performance.now() - t0) / 1e3;
  if (r.status !== 0) throw new Error(`weft ${args.join(" ")} exited with ${r.status}: ${r.stderr}`);
  return s;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** A case that times `weft ARGS` (median of `runs` starts, 5 with --quick) against a target. */
export function startupCase(name: string, args: string[], targetS: number, runs = 11): BenchCase {
  return {
    name,
    description: `median wall time of \`weft ${args.join(" ")}\` from the built dist/ (a fresh node process each)`,
    targetS,
    quick: true,
    prepare: ensureBuilt,
    run({ quick }) {
      const times = Array.from({ length: quick ? 5 : runs }, () => startS(args));
      const nodeAlone = median(
        Array.from({ length: 3 }, () => {
          const t0 = performance.now();
          spawnSync(process.execPath, ["-e", "0"]);
          return (performance.now() - t0) / 1e3;
        }),
      );
      return {
        timedS: median(times),
        extra: {
          medianMs: median(times) * 1e3,
          minMs: Math.min(...times) * 1e3,
          maxMs: Math.max(...times) * 1e3,
          nodeAloneMs: nodeAlone * 1e3,
        },
      };
    },
  };
}
