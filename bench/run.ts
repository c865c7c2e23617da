/**
 * The benchmark runner: `npm run bench -- [--quick] [--filter <substring>] [--json]`
 * (also `--cases <dir>` and `--out <file>` to run another folder of cases or write elsewhere).
 *
 * Runs every bench/cases/*.bench.ts (each default-exports a BenchCase) in its own child process, one at a
 * time, so each case's peak memory is its own and a crash cannot take the others down. The child times
 * `run` and reports wall time, peak RSS (process.resourceUsage().maxRSS) and the case's figures over IPC.
 * Prints a table and writes bench/results/latest.json (temp file + rename). Exits non-zero only when a
 * case crashed; missed speed targets are marked, not fatal.
 */
import { fork } from "node:child_process";
import { mkdirSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { formatTime } from "../src/units/format.js";
import type { BenchCase, BenchFigures } from "./case.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const defaultCasesDir = path.join(here, "cases");
const defaultOut = path.join(here, "results", "latest.json");

export interface BenchResult {
  name: string;
  file: string;
  description: string;
  quick: boolean;
  targetS: number | null;
  wallS: number | null;
  /** null without a target or when the case crashed. */
  pass: boolean | null;
  peakRssBytes: number | null;
  figures: BenchFigures | null;
  flowsPerS: number | null;
  eventsPerS: number | null;
  packetsPerS: number | null;
  error?: string;
}

interface ChildReport {
  name: string;
  description: string;
  quick: boolean;
  targetS?: number;
  wallS: number;
  peakRssBytes: number;
  figures: BenchFigures;
}

interface Args {
  quick: boolean;
  json: boolean;
  filter?: string;
  cases: string;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, json: false, cases: defaultCasesDir, out: defaultOut };
  const value = (i: number, what: string) => {
    const v = argv[i];
    if (v === undefined) usage(`${argv[i - 1]} needs ${what}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--quick") args.quick = true;
    else if (a === "--json") args.json = true;
    else if (a === "--filter") args.filter = value(++i, "a substring of a case name");
    else if (a === "--cases") args.cases = path.resolve(value(++i, "a folder of *.bench.ts files"));
    else if (a === "--out") args.out = path.resolve(value(++i, "a JSON file path"));
    else usage(`unknown argument "${a}"`);
  }
  return args;
}

function usage(problem: string): never {
  process.stderr.write(
    `bench: ${problem}\nusage: npm run bench -- [--quick] [--filter <substring>] [--json] [--cases <dir>] [--out <file>]\n`,
  );
  process.exit(2);
}

/** Child side: load one case, run it once, report over IPC. */
async function runChild(file: string, quick: boolean): Promise<void> {
  const mod = (await import(pathToFileURL(file).href)) as { default?: BenchCase };
  const c = mod.default;
  if (!c || typeof c.run !== "function") throw new Error(`${file} does not default-export a BenchCase`);
  await c.prepare?.({ quick });
  const t0 = performance.now();
  const figures = await c.run({ quick });
  const wallS = (performance.now() - t0) / 1e3;
  // maxRSS is in kilobytes (KiB); read before any comparison run so the figure is the case's own.
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const compared = c.compare ? await c.compare({ quick, wallS }) : {};
  await c.cleanup?.();
  const report: ChildReport = {
    name: c.name,
    description: c.description,
    quick: c.quick,
    targetS: c.targetS,
    wallS,
    peakRssBytes,
    figures: { ...figures, extra: { ...figures.extra, ...compared } },
  };
  await new Promise<void>((resolve) => process.send!(report, () => resolve()));
}

/** Reads a case's quick flag without running it (in the parent: cases are small modules). */
async function caseInfo(file: string): Promise<BenchCase> {
  const mod = (await import(pathToFileURL(file).href)) as { default?: BenchCase };
  if (!mod.default) throw new Error(`${file} does not default-export a BenchCase`);
  return mod.default;
}

function runInChild(file: string, quick: boolean): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ["--child", file, ...(quick ? ["--quick"] : [])], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let report: ChildReport | undefined;
    child.on("message", (m) => {
      report = m as ChildReport;
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (report && code === 0) resolve(report);
      else reject(new Error(signal ? `killed by ${signal}` : `exited with code ${code}`));
    });
  });
}

function perS(count: number | undefined, wallS: number): number | null {
  return count !== undefined && wallS > 0 ? count / wallS : null;
}

async function runAll(args: Args): Promise<BenchResult[]> {
  const files = readdirSync(args.cases)
    .filter((f) => f.endsWith(".bench.ts"))
    .sort()
    .map((f) => path.join(args.cases, f));
  const results: BenchResult[] = [];
  for (const file of files) {
    const rel = path.relative(process.cwd(), file);
    let info: BenchCase;
    try {
      info = await caseInfo(file);
    } catch (err) {
      results.push(crashed(path.basename(file, ".bench.ts"), rel, "", args.quick, null, err));
      continue;
    }
    if (args.filter && !info.name.includes(args.filter)) continue;
    if (args.quick && !info.quick) continue;
    if (!args.json) process.stderr.write(`bench: ${info.name} ...\n`);
    try {
      const r = await runInChild(file, args.quick);
      const target = r.targetS ?? null;
      results.push({
        name: r.name,
        file: rel,
        description: r.description,
        quick: args.quick,
        targetS: target,
        wallS: r.wallS,
        pass: target === null ? null : (r.figures.timedS ?? r.wallS) <= target,
        peakRssBytes: r.peakRssBytes,
        figures: r.figures,
        flowsPerS: perS(r.figures.flows, r.wallS),
        eventsPerS: perS(r.figures.events, r.wallS),
        packetsPerS: perS(r.figures.packets, r.wallS),
      });
    } catch (err) {
      results.push(crashed(info.name, rel, info.description, args.quick, info.targetS ?? null, err));
    }
  }
  return results;
}

function crashed(
  name: string,
  file: string,
  description: string,
  quick: boolean,
  targetS: number | null,
  err: unknown,
): BenchResult {
  return {
    name,
    file,
    description,
    quick,
    targetS,
    wallS: null,
    pass: null,
    peakRssBytes: null,
    figures: null,
    flowsPerS: null,
    eventsPerS: null,
    packetsPerS: null,
    error: err instanceof Error ? err.message : String(err),
  };
}

function formatRate(x: number | null): string {
  if (x === null) return "-";
  if (x >= 1e9) return `${(x / 1e9).toPrecision(3)} G/s`;
  if (x >= 1e6) return `${(x / 1e6).toPrecision(3)} M/s`;
  if (x >= 1e3) return `${(x / 1e3).toPrecision(3)} k/s`;
  return `${x.toPrecision(3)} /s`;
}

function formatMemory(bytes: number | null): string {
  if (bytes === null) return "-";
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

/** Whole numbers as they are, others to 4 significant digits. */
function figure(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}

function table(results: BenchResult[]): string {
  const header = ["case", "wall", "target", "result", "flows/s", "events/s", "packets/s", "peak memory"];
  const rows = results.map((r) => [
    r.name,
    r.wallS === null ? "-" : formatTime(r.wallS),
    r.targetS === null ? "-" : formatTime(r.targetS),
    r.error ? "CRASH" : r.pass === null ? "-" : r.pass ? "pass" : "MISS",
    formatRate(r.flowsPerS),
    formatRate(r.eventsPerS),
    formatRate(r.packetsPerS),
    formatMemory(r.peakRssBytes),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const out = [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
  for (const r of results) {
    if (r.error) out.push(`${r.name}: ${r.error}`);
    else if (r.figures?.simulatedS !== undefined || r.figures?.extra) {
      const parts = [
        ...(r.figures.simulatedS !== undefined ? [`simulated ${formatTime(r.figures.simulatedS)}`] : []),
        ...Object.entries(r.figures.extra ?? {}).map(([k, v]) => `${k} ${figure(v)}`),
      ];
      out.push(`${r.name}: ${parts.join(", ")}`);
    }
  }
  return `${out.join("\n")}\n`;
}

function writeAtomically(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === "--child") {
    await runChild(argv[1], argv.includes("--quick"));
    return;
  }
  const args = parseArgs(argv);
  const results = await runAll(args);
  const doc = {
    date: new Date().toISOString(),
    quick: args.quick,
    filter: args.filter ?? null,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpu: os.cpus()[0]?.model ?? "unknown",
    cpus: os.cpus().length,
    results,
  };
  const json = `${JSON.stringify(doc, null, 2)}\n`;
  writeAtomically(args.out, json);
  if (args.json) process.stdout.write(json);
  else process.stdout.write(table(results));
  if (results.some((r) => r.error)) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
