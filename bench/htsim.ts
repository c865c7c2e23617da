/**
 * Runs a locally built htsim (the Ultra Ethernet Consortium's packet simulator, `htsim_uec` from
 * github.com/ultraethernet/uet-htsim, htsim/sim/datacenter) on the same connection matrix as a bench case,
 * so the bench can print weft's speed next to htsim's. The binary is never downloaded or built here: its
 * path comes from the WEFT_HTSIM environment variable, and without it the comparison is skipped.
 *
 * htsim_uec's command line (main_uec.cpp): `-tm FILE` the connection matrix, `-nodes N` the host count (it
 * must match the matrix's `Nodes`), `-end T` the simulated end time in whole microseconds (default 1,000),
 * `-sender_cc_only` NSCC alone. With no `-topo` it builds its default 3-tier fat-tree for N hosts, the
 * topology `htsimDefaultCluster` reproduces. It prints one line per finished flow,
 *   Flow Uec_<src>_<dst> flowId <n> uecSrc <n> finished at <time in us> total messages ...
 * and writes logout.dat and idmap.txt into its working directory (a temp folder here, removed after).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { WeftError } from "../src/errors.js";
import type { TrafficFlows } from "../src/workload/traffic/patterns.js";

export const HTSIM_ENV = "WEFT_HTSIM";

/** Simulated end time passed as `-end`, microseconds: far beyond any bench case's tail FCT. */
export const HTSIM_END_US = 100_000;

export type HtsimLookup = { binary: string } | { skipped: string };

/** The htsim_uec binary named by WEFT_HTSIM, or why the comparison is skipped (one line). */
export function findHtsim(env: NodeJS.ProcessEnv = process.env): HtsimLookup {
  const how = `set ${HTSIM_ENV} to a locally built htsim_uec (github.com/ultraethernet/uet-htsim, htsim/sim/datacenter) to run it side by side`;
  const value = env[HTSIM_ENV];
  if (!value) return { skipped: `htsim comparison skipped: ${HTSIM_ENV} is not set; ${how}` };
  const binary = path.resolve(value);
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    return { skipped: `htsim comparison skipped: ${HTSIM_ENV}=${value} is not an executable file; ${how}` };
  }
  return { binary };
}

/**
 * The flows as an htsim connection matrix: `Nodes N`, `Connections M`, then `a->b id k start us size bytes`
 * per flow, with a and b the endpoint indices (htsim's host numbers) and k the flow's id.
 */
export function connectionMatrixText(nodes: number, t: TrafficFlows): string {
  const { flows } = t;
  const lines = [`Nodes ${nodes}`, `Connections ${flows.count}`];
  for (let f = 0; f < flows.count; f++) {
    const start = Number((flows.start[f] * 1e6).toPrecision(12));
    lines.push(`${t.srcIndex[f]}->${t.dstIndex[f]} id ${t.ids[f]} start ${start} size ${flows.bytes[f]}`);
  }
  return `${lines.join("\n")}\n`;
}

export interface HtsimFlow {
  src: number;
  dst: number;
  /** When htsim reports the flow finished, microseconds of simulated time. */
  finishUs: number;
}

const FINISHED = /^Flow \S*?_(\d+)_(\d+) .*\bfinished at (\S+)/;

/** The "Flow ... finished at T" lines of htsim_uec's output. */
export function parseHtsimFlows(stdout: string): HtsimFlow[] {
  const out: HtsimFlow[] = [];
  for (const line of stdout.split("\n")) {
    const m = FINISHED.exec(line);
    if (!m) continue;
    const finishUs = Number(m[3]);
    if (!Number.isFinite(finishUs)) {
      throw new WeftError(`htsim printed a finish time that is not a number: "${line.trim()}"`);
    }
    out.push({ src: Number(m[1]), dst: Number(m[2]), finishUs });
  }
  return out;
}

export interface HtsimRun {
  wallS: number;
  /** Peak resident memory of htsim's process, bytes; null where it could not be measured. */
  peakRssBytes: number | null;
  connections: number;
  flows: HtsimFlow[];
}

export interface HtsimRunOptions {
  /** Wall-clock limit, seconds; the run is killed after it. */
  timeoutS: number;
  /** Extra htsim arguments (default `-sender_cc_only`: NSCC alone, as the bench's weft run). */
  args?: string[];
}

/**
 * Writes `matrix` (htsim's connection-matrix text) to a temp folder and runs
 * `binary -tm FILE -nodes N -end HTSIM_END_US ...args` there. Wall time is measured around the process;
 * peak RSS comes from GNU time (`/usr/bin/time -f %M`, the kernel's rusage of the finished process) where it
 * is installed, else from polling /proc/<pid>/status VmHWM (a high-water mark, so only growth in the last
 * poll interval can be missed), else null.
 */
export async function runHtsim(binary: string, matrix: string, opts: HtsimRunOptions): Promise<HtsimRun> {
  const nodes = /^Nodes (\d+)/m.exec(matrix);
  const connections = /^Connections (\d+)/m.exec(matrix);
  if (!nodes || !connections) throw new WeftError("the matrix needs `Nodes N` and `Connections M` lines");
  const dir = mkdtempSync(path.join(os.tmpdir(), "weft-htsim-"));
  try {
    const tm = path.join(dir, "matrix.cm");
    writeFileSync(tm, matrix);
    const htsimArgs = [
      "-tm",
      tm,
      "-nodes",
      nodes[1],
      "-end",
      String(HTSIM_END_US),
      ...(opts.args ?? ["-sender_cc_only"]),
    ];
    const rssFile = path.join(dir, "maxrss-kib");
    const command = gnuTime() ? ["/usr/bin/time", "-f", "%M", "-o", rssFile, binary] : [binary];
    const r = await runTimed(command[0], [...command.slice(1), ...htsimArgs], dir, opts.timeoutS);
    if (r.timedOut) throw new WeftError(`htsim did not finish within ${opts.timeoutS} s: ${binary}`);
    if (r.code !== 0) {
      throw new WeftError(`htsim exited with ${r.signal ?? `code ${r.code}`}: ${tail(r.stderr || r.stdout)}`);
    }
    const fromTime = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8").trim()) * 1024 : Number.NaN;
    return {
      wallS: r.wallS,
      peakRssBytes: Number.isFinite(fromTime) && fromTime > 0 ? fromTime : r.polledRssBytes,
      connections: Number(connections[1]),
      flows: parseHtsimFlows(r.stdout),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let gnuTimeCache: boolean | undefined;

/** Whether /usr/bin/time is GNU time (which has -f and -o). */
function gnuTime(): boolean {
  if (gnuTimeCache === undefined) {
    const r = spawnSync("/usr/bin/time", ["--version"], { encoding: "utf8" });
    gnuTimeCache = !r.error && `${r.stdout}${r.stderr}`.includes("GNU");
  }
  return gnuTimeCache;
}

interface Timed {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  wallS: number;
  stdout: string;
  stderr: string;
  polledRssBytes: number | null;
}

const POLL_MS = 20;

/**
 * Runs a command in its own process group, so a timeout kills htsim under the time wrapper too; while it
 * runs, SIGINT/SIGTERM to this process kill that group first (a detached group does not get the terminal's
 * Ctrl-C).
 */
function runTimed(file: string, args: string[], cwd: string, timeoutS: number): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(file, args, { cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    let timedOut = false;
    let polled: number | null = null;
    const poll = setInterval(() => {
      const v = vmHwmBytes(child);
      if (v !== null) polled = Math.max(polled ?? 0, v);
    }, POLL_MS);
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutS * 1e3);
    const onSignal = (sig: NodeJS.Signals) => {
      killGroup(child);
      process.exit(sig === "SIGINT" ? 130 : 143);
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    const done = () => {
      clearInterval(poll);
      clearTimeout(timer);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    };
    child.on("error", (e) => {
      done();
      reject(new WeftError(`cannot start ${file}: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      const wallS = (performance.now() - t0) / 1e3;
      done();
      resolve({
        code,
        signal,
        timedOut,
        wallS,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        polledRssBytes: polled,
      });
    });
  });
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** VmHWM of the process (Linux only; null elsewhere or once it has exited). */
function vmHwmBytes(child: ChildProcess): number | null {
  if (child.pid === undefined) return null;
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function tail(text: string): string {
  const lines = text.trim().split("\n");
  return lines.slice(-3).join(" | ") || "(no output)";
}

/** Nearest-rank median (the element at ⌊n/2⌋ of the sorted list, as the bench case reports weft's). */
function median(sorted: number[]): number {
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * The bench figures of an htsim run next to weft's: htsim's wall time and peak memory, the speed-up
 * (htsim wall / weft wall) and htsim's median and tail FCT (flows start at 0, so FCT = finish time).
 * `htsimUnfinished` appears only when some connections did not finish by `-end`.
 */
export function htsimFigures(run: HtsimRun, weftWallS: number): Record<string, number> {
  const fcts = run.flows.map((f) => f.finishUs).sort((a, b) => a - b);
  const figures: Record<string, number> = {
    htsimWallS: run.wallS,
    speedupVsHtsim: run.wallS / weftWallS,
  };
  if (run.peakRssBytes !== null) figures.htsimPeakMiB = run.peakRssBytes / 2 ** 20;
  if (fcts.length > 0) {
    figures.htsimFctP50Us = median(fcts);
    figures.htsimFctMaxUs = fcts[fcts.length - 1];
  }
  if (fcts.length < run.connections) figures.htsimUnfinished = run.connections - fcts.length;
  return figures;
}
