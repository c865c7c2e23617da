/**
 * A run's server-sent events: `progress` ({done, total, label}) while it runs, then one `end` with the run
 * (state, error or results) and the stream closes. A finished run answers `end` at once.
 */
import { PassThrough } from "node:stream";
import type { FastifyReply } from "fastify";
import type { Runner } from "./runner.js";
import type { RunRecord } from "./schemas.js";

export async function streamRunEvents(runner: Runner, id: string, reply: FastifyReply): Promise<unknown> {
  const run = await runner.get(id);
  if (!run) return reply.code(404).send({ error: `no run ${id}` });
  const out = new PassThrough();
  const send = (event: string, data: unknown) =>
    out.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const end = (r: RunRecord) => {
    send("end", r);
    out.end();
  };
  if (run.state === "done" || run.state === "failed") end(run);
  else {
    if (run.progress) send("progress", run.progress);
    const stop = runner.watch(id, (e) => {
      if (e.type === "progress") send("progress", e.progress);
      else {
        stop?.();
        end(e.run);
      }
    });
    // Finished between the two looks: the store has it now.
    if (!stop) void runner.get(id).then((r) => end(r ?? run));
    else reply.raw.on("close", stop);
  }
  return reply
    .header("content-type", "text/event-stream; charset=utf-8")
    .header("cache-control", "no-store")
    .header("x-accel-buffering", "no")
    .send(out);
}
