// `weft serve` stops on SIGTERM while a run is in flight and a client watches its event stream: the
// stream is closed with the server, the run's worker is stopped, the process exits. The built command
// (`npm ci` builds it), as users run it: from source its workers load TypeScript through tsx's hooks,
// and Node 20 cannot stop a worker thread that holds them.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/data.js";
import { example, TOKEN, tempStore } from "./helpers.js";

const BUILT = path.join(REPO_ROOT, "dist/bin/main.js");

describe("weft serve on SIGTERM", () => {
  it("exits with a run in flight and its event stream open", async () => {
    expect(existsSync(BUILT), "the built command (npm run build)").toBe(true);
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        path.join(REPO_ROOT, "src/cli/main.ts"),
        "serve",
        "--port",
        "0",
        "--store",
        tempStore(),
        "--token",
        TOKEN,
      ],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      let out = "";
      child.stdout.on("data", (d) => {
        out += String(d);
      });
      for (let i = 0; i < 200 && !/listening on (http:\/\/\S+)/.test(out); i++)
        await new Promise((r) => setTimeout(r, 50));
      const address = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      expect(address, out).toBeDefined();
      const auth = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
      const slow = example("quickstart").replace("fidelity: flow", "fidelity: packet");
      const started = await fetch(`${address}/api/runs`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ scenario: slow }),
      });
      const { id } = (await started.json()) as { id: string };
      const events = await fetch(`${address}/api/runs/${id}/events`, { headers: auth });
      expect(events.status).toBe(200);
      const reading = events.body?.getReader();
      await reading?.read(); // the stream is open
      await new Promise((r) => setTimeout(r, 500));
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const [code] = (await Promise.race([
        exited,
        new Promise((r) => setTimeout(() => r(["timeout"]), 8000)),
      ])) as [number | string];
      expect(code).toBe(0);
      await reading?.cancel().catch(() => undefined);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 30_000);
});
