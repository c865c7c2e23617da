/**
 * `weft serve`: the HTTP API and the dashboard. Listens on 127.0.0.1 unless told otherwise; prints the
 * bearer token (generated when not given) and the dashboard's address with it.
 */
import { WeftError } from "../errors.js";
import { buildServer } from "../server/app.js";
import { generateToken } from "../server/security.js";
import { wholeNumber } from "./flags.js";

export interface ServeFlags {
  host: string;
  port: string;
  token?: string;
  store: string;
  timeLimit: string;
  threads?: string;
  perClient: string;
}

export async function serveCommand(flags: ServeFlags): Promise<void> {
  const token = flags.token ?? process.env.WEFT_TOKEN ?? generateToken();
  // A short or blank token would lock everyone out (no header can carry it) or guard nothing.
  if (token.trim().length < 16)
    throw new WeftError(
      `${flags.token !== undefined ? "--token" : "WEFT_TOKEN"}: expected at least 16 characters (leave it out for a random one), got ${token.trim().length}`,
    );
  const port = wholeNumber(flags.port, "--port", 0);
  if (port > 65535) throw new WeftError(`--port: expected a port from 0 to 65535, got "${flags.port}"`);
  const app = await buildServer({
    token,
    store: flags.store,
    runner: {
      timeLimitS: wholeNumber(flags.timeLimit, "--time-limit"),
      perClient: wholeNumber(flags.perClient, "--per-client"),
      ...(flags.threads ? { threads: wholeNumber(flags.threads, "--threads") } : {}),
    },
  });
  const address = await app.listen({ host: flags.host, port });
  const given = flags.token !== undefined || process.env.WEFT_TOKEN !== undefined;
  process.stdout.write(
    [
      `weft serve: listening on ${address}`,
      `  dashboard  ${address}/#token=${given ? "<your token>" : token}`,
      `  API        ${address}/api/  (Authorization: Bearer ${given ? "<your token>" : token})`,
      `  OpenAPI    ${address}/docs`,
      `  runs kept  ${flags.store}`,
      "",
    ].join("\n"),
  );
  if (flags.host !== "127.0.0.1" && flags.host !== "localhost" && flags.host !== "::1")
    process.stderr.write(
      `warning: listening on ${flags.host}: anyone who can reach it and has the token can run\n`,
    );
  let stopping = false;
  const stop = async () => {
    // A second signal, or a close that does not end, still stops the server: the store keeps every
    // finished run, and one left running is marked failed at the next start.
    if (stopping) process.exit(1);
    stopping = true;
    setTimeout(() => {
      process.stderr.write("weft serve: did not close within 10 s; stopping anyway\n");
      process.kill(process.pid, "SIGKILL"); // exit() itself could wait on what did not close
    }, 10_000).unref();
    await app.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
