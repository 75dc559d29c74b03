import type { Command } from "commander";
import { STOP_SIGNALS, UsageError, type StopSignal } from "../errors.ts";
import { endProcessesAndWait, ownEngineProcesses } from "../automation/engine-processes.ts";
import { parseDuration } from "./duration.ts";
import { progress } from "./output.ts";
import { stackContext, type StackContext } from "../automation/stack-context.ts";

interface ServeOpts {
  stack: string;
  port: string;
  host: string;
  tokenEnv: string;
  tokenSecret?: string;
  cullMaxAge?: string;
  cullInterval?: string;
}

/** The bearer token a widened server requires: from the environment, else the stack's secret store. */
async function bearerToken(ctx: StackContext, opts: ServeOpts): Promise<string | undefined> {
  const fromEnv = process.env[opts.tokenEnv];
  if (fromEnv) return fromEnv;
  if (opts.tokenSecret === undefined) return undefined;
  const { secretStore } = await import("../automation/stack-context.ts");
  const { resolveRef } = await import("../secrets/secret-store.ts");
  return resolveRef(await secretStore(ctx, false), { secret_name: opts.tokenSecret });
}

/** Culling settings: --cull-max-age, else the stack's process_culling; none means no culler. */
function culling(ctx: StackContext, opts: ServeOpts): { maxAgeMs: number; everyMs: number } | undefined {
  const settings = ctx.settings.process_culling;
  const maxAgeMs = opts.cullMaxAge !== undefined ? parseDuration(opts.cullMaxAge, "--cull-max-age") : settings && settings.max_age_minutes * 60_000;
  if (maxAgeMs === undefined) return undefined;
  const everyMs = opts.cullInterval !== undefined ? parseDuration(opts.cullInterval, "--cull-interval") : (settings?.culling_interval_minutes ?? 1) * 60_000;
  return { maxAgeMs, everyMs };
}

/** `hpx serve`: Hydroplane's REST API over a stack, so `hpctl` and its scripts keep working. */
export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("serve Hydroplane's REST API (hpctl's) over a stack; loopback only unless --host widens it")
    .option("-s, --stack <stack>", "stack", "local")
    .option("-p, --port <port>", "port (Hydroplane's default)", "8000")
    .option("-H, --host <host>", "address to listen on; any but loopback requires a bearer token", "127.0.0.1")
    .option("--token-env <var>", "environment variable holding the bearer token", "HPX_SERVE_TOKEN")
    .option("--token-secret <name>", "else: the secret holding it, in the stack's secret store")
    .option("--cull-max-age <duration>", "stop processes older than this (default: the stack's process_culling)")
    .option("--cull-interval <duration>", "how often to cull (default: process_culling.culling_interval_minutes, or 1m)")
    .action(async (opts: ServeOpts) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected a port number, got ${JSON.stringify(opts.port)}`);
      const ctx = stackContext(opts.stack);
      const cull = culling(ctx, opts);
      const { isLoopback } = await import("../serve/auth.ts");
      const token = await bearerToken(ctx, opts);
      if (!isLoopback(opts.host) && !token) {
        throw new UsageError(`--host ${opts.host} reaches beyond this machine: set ${opts.tokenEnv} (or --token-secret NAME) to the bearer token clients must send`);
      }
      const { StackService } = await import("../serve/stack-service.ts");
      const { buildServer } = await import("../serve/app.ts");
      const service = new StackService(ctx);
      const app = await buildServer(service, { token });
      const address = await app.listen({ port, host: opts.host });
      progress(`hpx serve: stack ${ctx.name} at ${address} (OpenAPI: ${address}/openapi.json)${token ? "; bearer token required" : ""}`);
      if (cull) {
        progress(`culling processes older than ${cull.maxAgeMs / 1000} s every ${cull.everyMs / 1000} s`);
        const timer = setInterval(() => {
          service.cull(cull.maxAgeMs).then(
            (names) => names.length > 0 && progress(`culled ${names.join(", ")}`),
            (err: Error) => progress(`culling failed: ${err.message}`),
          );
        }, cull.everyMs);
        app.addHook("onClose", async () => clearInterval(timer));
      }
      // A signal stops taking requests and stops the change in flight as it stops hpx up
      // (state written, lock released), then exits 0; a second one exits at once.
      let stopping = false;
      const stop = (name: StopSignal) => {
        if (stopping) {
          void endProcessesAndWait(ownEngineProcesses()).then((killed) => {
            progress(`hpx serve: ${name} again: stopped at once (${killed.length} engine process(es) killed); if stack ${ctx.name} stays locked, clear it with hpx cancel -s ${ctx.name}`);
            process.exit(STOP_SIGNALS[name]);
          });
          return;
        }
        stopping = true;
        progress(`hpx serve: ${name} received: no new requests; stopping the change in flight after the steps under way`);
        const closed = app.close();
        void service.shutdown(name).then(async () => {
          // The answers to requests in flight are written; a client's kept-alive connection
          // would otherwise hold the server open until its keep-alive timeout (72 s).
          await new Promise((r) => setTimeout(r, 100));
          app.server.closeIdleConnections();
          const late = setTimeout(() => app.server.closeAllConnections(), 5000);
          await closed;
          clearTimeout(late);
          for (const p of await endProcessesAndWait(ownEngineProcesses())) progress(`hpx serve: ended pid ${p.pid} (${p.command})`);
          progress("hpx serve: stopped");
          process.exit(0);
        });
      };
      for (const name of Object.keys(STOP_SIGNALS) as StopSignal[]) process.on(name, () => stop(name));
    });
}
