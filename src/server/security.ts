/**
 * What a team server needs before anything else: a bearer token on every API call (compared in constant
 * time), security headers on every response, and errors as JSON with the right 4xx code.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { TooManyRuns } from "./runner.js";
import { ScenarioProblems } from "./scenario-input.js";

/** A fresh token: 32 random bytes, URL-safe. */
export function generateToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Constant-time equality of two secrets (hashed first, so their lengths leak nothing either). */
export function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

/**
 * Whether a request is an API call: by the route it matched, and by its path as the router reads it
 * (percent-decoded: `/%61pi/runs` is `/api/runs` to the router, so it must be to the token check too). A
 * path that does not decode is treated as one.
 */
export function isApiRequest(req: FastifyRequest): boolean {
  if (req.routeOptions?.url?.startsWith("/api/")) return true;
  const raw = req.url.split("?")[0];
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return true;
  }
  return decoded === "/api" || decoded.startsWith("/api/");
}

/** Every request under /api must carry `Authorization: Bearer <token>`: 401 without one, 403 if wrong. */
export function requireToken(app: FastifyInstance, token: string): void {
  app.addHook("onRequest", async (req: FastifyRequest, reply: FastifyReply) => {
    if (!isApiRequest(req)) return;
    const header = req.headers.authorization;
    if (header === undefined || !/^Bearer\s+\S/i.test(header)) {
      reply.header("www-authenticate", 'Bearer realm="weft"');
      return reply
        .code(401)
        .send({ error: "missing bearer token; send the header Authorization: Bearer <token>" });
    }
    if (!sameSecret(header.replace(/^Bearer\s+/i, "").trim(), token))
      return reply
        .code(403)
        .send({ error: "wrong bearer token; use the token `weft serve` printed at start" });
  });
}

const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

export function securityHeaders(app: FastifyInstance): void {
  app.addHook("onSend", async (req, reply) => {
    reply.header("x-content-type-options", "nosniff");
    reply.header("x-frame-options", "DENY");
    reply.header("referrer-policy", "no-referrer");
    reply.header("cross-origin-opener-policy", "same-origin");
    reply.header("cross-origin-resource-policy", "same-origin");
    if (isApiRequest(req)) reply.header("cache-control", "no-store");
    // The OpenAPI viewer brings its own inline bootstrap; everything else gets the strict policy.
    if (!req.url.startsWith("/docs")) reply.header("content-security-policy", DASHBOARD_CSP);
  });
}

/** Errors as `{ error, problems? }` with a 4xx code for the client's mistakes, 500 (no details) for ours. */
export function jsonErrors(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof ScenarioProblems)
      return reply.code(400).send({ error: err.message, problems: err.problems });
    if (err instanceof TooManyRuns) return reply.code(429).send({ error: err.message });
    if (err.validation)
      return reply
        .code(400)
        .send({ error: `invalid request: ${err.message}; see the API document at /docs` });
    if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE")
      return reply
        .code(413)
        .send({ error: `request body too large: the limit is ${app.initialConfig.bodyLimit} bytes` });
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send({ error: err.message });
    req.log.error(err);
    return reply.code(500).send({ error: "internal error; the server log has the details" });
  });
  app.setNotFoundHandler(noSuchEndpoint);
}

/** The API's 404 for a path no route takes (also the dashboard's answer to an unknown /api path). */
export function noSuchEndpoint(req: FastifyRequest, reply: FastifyReply) {
  return reply
    .code(404)
    .send({ error: `no such endpoint: ${req.method} ${req.url.split("?")[0]}; see /docs` });
}
