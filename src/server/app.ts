/**
 * The Weft server: fastify with the zod type provider, the OpenAPI document generated from the same
 * schemas (at /docs), bearer-token auth on /api, security headers, JSON errors, the runner and the
 * dashboard. `buildServer` returns the app unstarted, so tests drive it with `inject`.
 */
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { registerRoutes } from "./routes.js";
import { openRunStore } from "./run-store.js";
import { DEFAULT_RUNNER, makeRunner, type RunnerOptions } from "./runner.js";
import { jsonErrors, requireToken, securityHeaders } from "./security.js";
import { defaultWebDir, serveDashboard } from "./static.js";

export interface ServerOptions {
  token: string;
  /** The results store (DuckDB file) the runs are kept in, beside sweeps' points. */
  store: string;
  /** Largest request body, bytes (scenarios with their uploaded files). */
  bodyLimit?: number;
  runner?: Partial<RunnerOptions>;
  /** The built dashboard; by default dist/web. */
  webDir?: string;
  logger?: boolean;
}

export const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    logger: options.logger ?? false,
    // Runs are ids, not paths; nothing trusts a forwarded address.
    trustProxy: false,
    // Closing ends every connection, an open event stream included: a watcher never holds a shutdown up.
    forceCloseConnections: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  securityHeaders(app);
  jsonErrors(app);
  requireToken(app, options.token);

  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Weft API",
        description:
          "Validate, plan and run fabric scenarios; read runs, the catalog and the examples. Every /api call needs `Authorization: Bearer <token>`.",
        version: "1",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });

  const store = await openRunStore(options.store);
  const runner = makeRunner(store, { ...DEFAULT_RUNNER, ...options.runner });
  app.addHook("onClose", async () => {
    await runner.close();
    await store.close();
  });
  registerRoutes(app, runner, store);
  serveDashboard(app, options.webDir ?? defaultWebDir());
  return app;
}
