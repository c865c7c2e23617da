/**
 * serve-quickstart-run: through the HTTP API of `weft serve` (a real server on 127.0.0.1), start the
 * quickstart run (256 H100, 2-tier fat-tree, all-reduce 1 MiB - 4 GiB at flow fidelity) and read its event
 * stream until the result arrives. Prepare starts the server and lets its worker thread load the core (one
 * 1 MiB all-reduce), as a server that has been up for a while. Target: under 2 s.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { buildServer } from "../../src/server/app.js";
import type { BenchCase } from "../case.js";

const TOKEN = "bench-token";
const quickstart = readFileSync(
  fileURLToPath(new URL("../../examples/quickstart.yaml", import.meta.url)),
  "utf8",
);
let app: FastifyInstance | undefined;
let url = "";
let dir = "";

async function runThroughApi(scenario: string): Promise<{ state: string; results: { rows: unknown[] } }> {
  const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
  const started = await fetch(`${url}/api/runs`, {
    method: "POST",
    headers,
    body: JSON.stringify({ scenario }),
  });
  const { id } = (await started.json()) as { id: string };
  const events = await fetch(`${url}/api/runs/${id}/events`, { headers });
  const text = await events.text();
  const end = text.split("\n\n").find((b) => b.startsWith("event: end"));
  if (!end) throw new Error(`no end event: ${text.slice(0, 200)}`);
  return JSON.parse(end.slice(end.indexOf("data: ") + 6));
}

const bench: BenchCase = {
  name: "serve-quickstart-run",
  description: "quickstart run started and its result received through the HTTP API",
  targetS: 2,
  quick: true,
  async prepare() {
    dir = mkdtempSync(path.join(tmpdir(), "weft-bench-serve-"));
    app = await buildServer({ token: TOKEN, store: path.join(dir, "weft.duckdb"), runner: { threads: 1 } });
    url = await app.listen({ host: "127.0.0.1", port: 0 });
    await runThroughApi(quickstart.replace("sizes: [1MiB, 4GiB]", "sizes: [1MiB, 1MiB]"));
  },
  async run() {
    const run = await runThroughApi(quickstart);
    if (run.state !== "done") throw new Error(`the run ended ${run.state}`);
    return { extra: { sizes: run.results.rows.length } };
  },
  async cleanup() {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  },
};

export default bench;
