// A server built for tests (driven with fastify.inject) and the quickstart scenario text.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { buildServer, type ServerOptions } from "../../src/server/app.js";
import { REPO_ROOT } from "../helpers/data.js";

export const TOKEN = "test-token-0123456789";
export const AUTH = { authorization: `Bearer ${TOKEN}` };

export function example(name: string): string {
  return readFileSync(path.join(REPO_ROOT, "examples", `${name}.yaml`), "utf8");
}

/** A store file of its own in a fresh temporary folder. */
export function tempStore(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), "weft-store-")), "weft.duckdb");
}

export function testServer(options: Partial<ServerOptions> = {}): Promise<FastifyInstance> {
  return buildServer({
    token: TOKEN,
    store: tempStore(),
    runner: { threads: 1, timeLimitS: 60, perClient: 4 },
    ...options,
  });
}

/** Parses a text/event-stream body into its events. */
export function sseEvents(body: string): { event: string; data: unknown }[] {
  return body
    .split("\n\n")
    .filter((b) => b.trim() !== "")
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
      const data = /^data: (.*)$/m.exec(block)?.[1];
      return { event, data: data === undefined ? undefined : JSON.parse(data) };
    });
}

/** Starts a run and waits for its end through the event stream; returns the finished run. */
export async function runToEnd(
  app: FastifyInstance,
  scenario: string,
  files?: Record<string, string>,
): Promise<{ run: Record<string, unknown>; events: { event: string; data: unknown }[] }> {
  const started = await app.inject({
    method: "POST",
    url: "/api/runs",
    headers: AUTH,
    payload: { scenario, ...(files ? { files } : {}) },
  });
  if (started.statusCode !== 202) throw new Error(`run not started: ${started.statusCode} ${started.body}`);
  const { id } = started.json();
  const stream = await app.inject({ method: "GET", url: `/api/runs/${id}/events`, headers: AUTH });
  const events = sseEvents(stream.body);
  const end = events.find((e) => e.event === "end");
  if (!end) throw new Error(`no end event: ${stream.body}`);
  return { run: end.data as Record<string, unknown>, events };
}
