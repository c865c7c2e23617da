// The htsim side-by-side run of the packet benchmark (bench/htsim.ts), without a real htsim: the connection
// matrix it writes, the parsing of htsim_uec's output, the lookup of WEFT_HTSIM, and the run itself against a
// stand-in script that answers like htsim_uec (one "finished at" line per connection).
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import {
  connectionMatrixText,
  findHtsim,
  HTSIM_END_US,
  htsimFigures,
  parseHtsimFlows,
  runHtsim,
} from "../../bench/htsim.js";
import { buildFabric } from "../../src/topology/build.js";
import { parseConnectionMatrix } from "../../src/workload/traffic/connection-matrix.js";
import { htsimDefaultCluster } from "../../src/workload/traffic/htsim-topology.js";
import { trafficFlows } from "../../src/workload/traffic/patterns.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "weft-htsim-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

// Answers like htsim_uec: checks `-nodes` against the matrix and `-end`, then finishes flow a->b at
// 100 + a us. Arguments: -tm FILE -nodes N -end T [-sender_cc_only].
const FAKE_HTSIM = `[ "$1" = -tm ] && [ "$3" = -nodes ] && [ "$5" = -end ] || { echo "bad arguments: $*" >&2; exit 4; }
sleep "\${FAKE_HTSIM_SLEEP:-0}"
echo "Starting simulation"
awk -v nodes="$4" '
  NR == 1 && $2 != nodes { print "Nodes " $2 " but -nodes " nodes > "/dev/stderr"; exit 3 }
  /->/ { split($1, p, "->"); print "Flow Uec_" p[1] "_" p[2] " flowId " 1000000000 + $3 " uecSrc " p[1] " starting at 0"
         print "Flow Uec_" p[1] "_" p[2] " flowId " 1000000000 + $3 " uecSrc " p[1] " finished at " 100 + p[1] " total messages 1 total packets 490" }
' "$2"
echo "New: 490 Rtx: 0 RTS: 0 Bounced: 0 ACKs: 124 NACKs: 0 Pulls: 0 sleek_pkts: 0"`;

function permutation(hosts: number) {
  return trafficFlows(
    { kind: "traffic", pattern: "permutation", size: 2e6 },
    buildFabric(htsimDefaultCluster(hosts)),
    1,
  );
}

describe("htsim connection matrix", () => {
  it("writes the bench's 128-host permutation so that it reads back flow for flow", () => {
    const t = permutation(128);
    const text = connectionMatrixText(128, t);
    expect(text.split("\n").slice(0, 3)).toEqual(["Nodes 128", "Connections 128", expect.any(String)]);
    expect(text.split("\n")[2]).toMatch(/^\d+->\d+ id 1 start 0 size 2000000$/);
    const m = parseConnectionMatrix(text);
    expect(m.nodes).toBe(128);
    expect(m.connections).toHaveLength(t.flows.count);
    m.connections.forEach((c, f) => {
      expect([c.src, c.dst, c.id, c.bytes, c.startS]).toEqual([
        t.srcIndex[f],
        t.dstIndex[f],
        t.ids[f],
        t.flows.bytes[f],
        t.flows.start[f],
      ]);
    });
    // A permutation: every host sends once and receives once, never to itself.
    expect(new Set(m.connections.map((c) => c.src)).size).toBe(128);
    expect(new Set(m.connections.map((c) => c.dst)).size).toBe(128);
    expect(m.connections.every((c) => c.src !== c.dst)).toBe(true);
  });
});

describe("htsim output", () => {
  it("reads the finished flows of htsim_uec's output and nothing else", () => {
    // Lines as htsim_uec -tm one.cm -sender_cc_only prints them (abridged), plus a second flow.
    const stdout = [
      "network_max_unloaded_rtt 14.0227",
      "Starting simulation",
      "Flow Uec_0_13 flowId 1000000001 uecSrc 0 starting at 0",
      "Flow Uec_0_13 flowId 1000000001 uecSrc 0 finished at 176.2 total messages 1 total packets 490 RTS 0 total bytes 2002140 in_flight now 0",
      "Flow Uec_115_117 flowId 97 uecSrc 96 finished at 180.346 total messages 1 total packets 490",
      ".Done",
      "New: 490 Rtx: 0 RTS: 0 Bounced: 0 ACKs: 124 NACKs: 0 Pulls: 0 sleek_pkts: 0",
    ].join("\n");
    expect(parseHtsimFlows(stdout)).toEqual([
      { src: 0, dst: 13, finishUs: 176.2 },
      { src: 115, dst: 117, finishUs: 180.346 },
    ]);
  });

  it("figures: wall, speed-up, peak MiB, median and tail FCT; unfinished only when some are missing", () => {
    const flows = [300, 100, 200].map((finishUs, i) => ({ src: i, dst: i + 1, finishUs }));
    const run = { wallS: 12, peakRssBytes: 150 * 2 ** 20, connections: 3, flows };
    expect(htsimFigures(run, 3)).toEqual({
      htsimWallS: 12,
      speedupVsHtsim: 4,
      htsimPeakMiB: 150,
      htsimFctP50Us: 200,
      htsimFctMaxUs: 300,
    });
    const partial = htsimFigures({ ...run, peakRssBytes: null, connections: 5 }, 3);
    expect(partial.htsimUnfinished).toBe(2);
    expect(partial).not.toHaveProperty("htsimPeakMiB");
  });
});

describe("finding htsim", () => {
  it("skips with a line naming WEFT_HTSIM when it is unset or not executable", () => {
    const unset = findHtsim({});
    expect(unset).toHaveProperty("skipped");
    expect((unset as { skipped: string }).skipped).toMatch(/WEFT_HTSIM is not set.*htsim_uec/);
    const plain = path.join(dir, "not-executable");
    writeFileSync(plain, "");
    expect((findHtsim({ WEFT_HTSIM: plain }) as { skipped: string }).skipped).toMatch(/not an executable/);
    expect(findHtsim({ WEFT_HTSIM: path.join(dir, "missing") })).toHaveProperty("skipped");
    const exe = script("htsim_uec", "exit 0");
    expect(findHtsim({ WEFT_HTSIM: exe })).toEqual({ binary: exe });
  });
});

describe.skipIf(process.platform === "win32")("running htsim", () => {
  it("runs the binary on the matrix and reads every flow, its wall time and peak memory", async () => {
    const fake = script("fake-htsim", FAKE_HTSIM);
    const t = permutation(16);
    const r = await runHtsim(fake, connectionMatrixText(16, t), { timeoutS: 20 });
    expect(r.connections).toBe(16);
    expect(r.flows).toHaveLength(16);
    for (const f of r.flows) expect(f.finishUs).toBe(100 + f.src);
    expect(r.wallS).toBeGreaterThan(0);
    if (process.platform === "linux") expect(r.peakRssBytes).toBeGreaterThan(0);
    expect(HTSIM_END_US).toBeGreaterThan(1000);
  });

  it("says why when htsim fails or overruns its time limit", async () => {
    const matrix = connectionMatrixText(16, permutation(16));
    const failing = script("failing-htsim", 'echo "Mismatch between connection matrix" >&2; exit 1');
    await expect(runHtsim(failing, matrix, { timeoutS: 20 })).rejects.toThrow(
      /exited with code 1: Mismatch between connection matrix/,
    );
    const stuck = script("stuck-htsim", "exec sleep 30");
    const t0 = performance.now();
    await expect(runHtsim(stuck, matrix, { timeoutS: 0.3 })).rejects.toThrow(/did not finish within 0.3 s/);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});

describe.skipIf(process.platform === "win32")("packet-perm-1024 bench case", () => {
  const exec = promisify(execFile);
  let runs = 0;
  async function quickCase(env: NodeJS.ProcessEnv) {
    const out = path.join(dir, `bench-${++runs}.json`);
    const args = ["--import", "tsx", "bench/run.ts", "--quick", "--filter", "packet-perm", "--out", out];
    const r = await exec(process.execPath, args, { env: { ...process.env, WEFT_HTSIM: "", ...env } });
    const doc = JSON.parse(readFileSync(out, "utf8"));
    return { stderr: r.stderr, result: doc.results[0] };
  }

  it("without WEFT_HTSIM: runs as before and says in one line how to enable the comparison", async () => {
    const { stderr, result } = await quickCase({});
    expect(result.error).toBeUndefined();
    expect(result.figures.flows).toBe(128);
    expect(Object.keys(result.figures.extra).filter((k) => k.startsWith("htsim"))).toEqual([]);
    expect(stderr.split("\n").filter((l) => l.includes("WEFT_HTSIM"))).toHaveLength(1);
  });

  it("with WEFT_HTSIM: reports htsim's figures, its wall time kept out of the case's", async () => {
    const fake = script("htsim_uec_slow", FAKE_HTSIM);
    const { result } = await quickCase({ WEFT_HTSIM: fake, FAKE_HTSIM_SLEEP: "1" });
    const x = result.figures.extra;
    console.table([{ weftWallS: result.wallS, htsimWallS: x.htsimWallS, speedupVsHtsim: x.speedupVsHtsim }]);
    expect(x.htsimWallS).toBeGreaterThanOrEqual(1);
    // The fake finishes flow a->b at 100 + a us: the tail is host 127's flow.
    expect(x.htsimFctMaxUs).toBe(227);
    expect(x.htsimFctP50Us).toBe(164);
    // htsim ran before the clock started: speed-up × the case's wall time is htsim's wall time.
    expect(Math.abs((x.speedupVsHtsim * result.wallS) / x.htsimWallS - 1)).toBeLessThan(0.1);
  });
});
