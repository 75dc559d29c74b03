import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance } from "fastify";
import { z } from "zod";
import { ProcessInfo } from "../cluster/process-info.ts";
import { InterruptedError, NoLogsYetError, ProcessExistsError, StackLockedError, HpxError, SpecError, UnknownProcessError, UsageError, formatIssue } from "../errors.ts";
import { ProcessSpec } from "../spec/process-spec.ts";
import { parseProcessSource } from "../spec/load-process-file.ts";
import { bearerMatches } from "./auth.ts";
import { ApiError, type StackApi } from "./stack-service.ts";

/** Hydroplane's error body: the HTTP status as a number, and what went wrong. */
export interface ErrorBody {
  error: number;
  details: string;
  /** For a bad spec: each problem, located in the request body. */
  issues?: { line: number; col: number; path: string; message: string }[];
  /** For a bad spec: the problems as FastAPI (Hydroplane's server) words them, for clients that parse them. */
  detail?: { loc: (string | number)[]; msg: string; type: string }[];
}

/** One located problem as FastAPI's validation error item (pydantic's `loc`, `msg`, `type`). */
function fastApiDetail(issue: { path: string; message: string }): { loc: (string | number)[]; msg: string; type: string } {
  const loc = ["body", ...(issue.path === "" ? [] : issue.path.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)))];
  if (issue.message === "is required") return { loc, msg: "field required", type: "value_error.missing" };
  if (issue.message.startsWith("unknown key")) return { loc, msg: "extra fields not permitted", type: "value_error.extra" };
  return { loc, msg: issue.message, type: "value_error" };
}

const errorBody = { type: "object", properties: { error: { type: "integer" }, details: { type: "string" }, issues: { type: "array" }, detail: { type: "array" } } } as const;

/** Status and body for a failure: Hydroplane's shapes, hpx's located spec problems. */
export function errorResponse(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof SpecError) {
    return {
      status: 422,
      body: {
        error: 422,
        details: err.issues.map(formatIssue).join("\n"),
        issues: err.issues.map(({ line, col, path, message }) => ({ line, col, path, message })),
        detail: err.issues.map(fastApiDetail),
      },
    };
  }
  if (err instanceof ApiError) return { status: err.status, body: { error: err.status, details: err.message } };
  // Hydroplane's own words for these two.
  if (err instanceof UnknownProcessError) return { status: 404, body: { error: 404, details: `Process '${err.process}' not found` } };
  if (err instanceof ProcessExistsError) return { status: 409, body: { error: 409, details: `A deployment named "${err.process}" already exists` } };
  if (err instanceof NoLogsYetError) return { status: 409, body: { error: 409, details: err.message } };
  if (err instanceof StackLockedError) return { status: 409, body: { error: 409, details: [err.message, ...err.hints].join("; ") } };
  if (err instanceof UsageError) return { status: 400, body: { error: 400, details: err.message } };
  if (err instanceof InterruptedError) return { status: 503, body: { error: 503, details: `hpx serve is shutting down: ${err.message}` } };
  if (err instanceof HpxError) return { status: 500, body: { error: 500, details: [err.message, ...err.hints].join("; ") } };
  return { status: 500, body: { error: 500, details: err instanceof Error ? err.message : String(err) } };
}

/**
 * Hydroplane's REST API (what `hpctl` calls) over a {@link StackService}, with its OpenAPI
 * document at /openapi.json. Bodies are validated by hpx's own spec loader, so a bad spec
 * gets the same located problems as `hpx up`. With `token`, every request needs it.
 */
export async function buildServer(service: StackApi, opts: { token?: string; logger?: boolean; log?: (line: string) => void } = {}): Promise<FastifyInstance> {
  // Requests that arrive while closing reach the service, which answers changes with 503 in Hydroplane's error shape.
  const app = Fastify({ logger: opts.logger ?? false, return503OnClosing: false });
  await app.register(swagger, {
    openapi: {
      info: { title: "hpx serve: Hydroplane's API over an hpx stack", version: "1" },
      ...(opts.token ? { components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } }, security: [{ bearer: [] }] } : {}),
    },
  });
  // The spec loader reads the text itself (it locates problems by line and column).
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => done(null, body));
  // Schemas document the API; validation is the spec loader's.
  app.setValidatorCompiler(() => () => true);
  app.setErrorHandler((err, _req, reply) => {
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500 && !(err instanceof HpxError)) {
      return reply.status(status).send({ error: status, details: (err as Error).message });
    }
    const { status: code, body } = errorResponse(err);
    return reply.status(code).send(body);
  });
  app.setNotFoundHandler((_req, reply) => reply.status(404).send({ error: 404, details: "Not Found" }));
  if (opts.token) {
    const token = opts.token;
    app.addHook("onRequest", async (req, reply) => {
      if (!bearerMatches(req.headers.authorization, token)) {
        return reply.status(401).header("www-authenticate", "Bearer").send({ error: 401, details: "a bearer token is required: Authorization: Bearer <token>" });
      }
    });
  }

  const processInfo = z.toJSONSchema(ProcessInfo, { target: "openapi-3.0" });
  const list = { response: { 200: { type: "array", items: processInfo }, "4xx": errorBody, "5xx": errorBody } };
  const change = { response: { "4xx": errorBody, "5xx": errorBody } };
  const bodySchema = z.toJSONSchema(ProcessSpec, { io: "input", target: "openapi-3.0" });

  app.post("/process", { schema: { summary: "Start a process (Hydroplane's ProcessSpec)", body: bodySchema, ...change } }, async (req, reply) => {
    // Hydroplane's model ignores keys it does not know; so does this door, saying so.
    const source = parseProcessSource(String(req.body ?? ""), "request body", { unknownKeys: "warn" });
    if (source.processes.length !== 1) {
      throw new SpecError([{ file: "request body", line: 1, col: 1, path: "", message: `expected one process spec, got ${source.processes.length}` }]);
    }
    await service.start(source);
    const ignored = source.warnings.map((w) => `${w.path}: ${w.message.replace(/^unknown key "[^"]*"/, "unknown key, ignored")}`);
    for (const w of ignored) opts.log?.(`POST /process ${source.processes[0]!.process_name}: ${w}`);
    if (ignored.length > 0) reply.header("warning", ignored.map((w) => `199 hpx ${JSON.stringify(w)}`).join(", "));
    return reply.status(201).send(null);
  });
  app.get("/process", { schema: { summary: "List every process", ...list } }, () => service.list());
  app.get<{ Params: { group: string } }>("/group/:group", { schema: { summary: "List a group's processes", ...list } }, (req) => service.list(req.params.group));
  app.delete<{ Params: { name: string } }>("/process/:name", { schema: { summary: "Stop a process", ...change } }, async (req) => {
    await service.stopProcess(req.params.name);
    return null;
  });
  app.delete<{ Params: { group: string } }>("/group/:group", { schema: { summary: "Stop every process of a group", ...change } }, async (req) => {
    await service.stopGroup(req.params.group);
    return null;
  });
  app.get<{ Params: { name: string }; Querystring: { tail?: string } }>(
    "/process/:name/logs",
    { schema: { summary: "A process's log (as hpx logs NAME --tail N), text/plain", querystring: { type: "object", properties: { tail: { type: "integer", minimum: 0 } } } } },
    async (req, reply) => {
      const tail = req.query.tail;
      if (tail !== undefined && !/^\d+$/.test(tail)) throw new ApiError(400, `tail: expected a number of lines (0 or more), got ${JSON.stringify(tail)}`);
      if (!service.logs) throw new ApiError(404, "Not Found");
      const lines = await service.logs(req.params.name, tail === undefined ? undefined : Number(tail));
      return reply.type("text/plain; charset=utf-8").send(lines.map((l) => `${l}\n`).join(""));
    },
  );
  app.get("/openapi.json", { schema: { hide: true } }, () => app.swagger());
  return app;
}
