import type { Command } from "commander";
import { UsageError } from "../errors.ts";
import { cullSchedule } from "../operations/culling.ts";
import type { StackContext } from "../operations/stack-context.ts";
import { stopOnSignals } from "../operations/stop-signals.ts";
import { parseDuration } from "./duration.ts";
import { stackOf, stackOption } from "./options.ts";
import { progress } from "./output.ts";

/** Default of `hpx serve --lock-wait`: a change waits this long for another run's lock (serve queues rather than fails). */
export const SERVE_LOCK_WAIT_MS = 5 * 60_000;

interface ServeOpts {
  stack: string;
  port: string;
  host: string;
  tokenEnv: string;
  tokenSecret?: string;
  cullMaxAge?: string;
  cullInterval?: string;
  lockWait: string;
}

/** The bearer token a widened server requires: from the environment, else the stack's secret store. */
async function bearerToken(ctx: StackContext, opts: ServeOpts): Promise<string | undefined> {
  const fromEnv = process.env[opts.tokenEnv];
  if (fromEnv) return fromEnv;
  if (opts.tokenSecret === undefined) return undefined;
  const { resolveRef } = await import("../secrets/secret-store.ts");
  const { secretStore } = await import("../operations/stack-context.ts");
  return resolveRef(await secretStore(ctx, false), { secret_name: opts.tokenSecret });
}

/** `hpx serve`: Hydroplane's REST API over a stack, so `hpctl` and its scripts keep working. */
export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("serve Hydroplane's REST API (hpctl's) over a stack; loopback only unless --host widens it")
    .addOption(stackOption())
    .option("-p, --port <port>", "port (Hydroplane's default)", "8000")
    .option("-H, --host <host>", "address to listen on; any but loopback requires a bearer token", "127.0.0.1")
    .option("--token-env <var>", "environment variable holding the bearer token", "HPX_SERVE_TOKEN")
    .option("--token-secret <name>", "else: the secret holding it, in the stack's secret store")
    .option("--cull-max-age <duration>", "stop processes older than this (default: the stack's process_culling)")
    .option("--cull-interval <duration>", "how often to cull (default: process_culling.culling_interval_minutes, or 1m)")
    .option("--lock-wait <duration>", "how long a change waits when another run holds the stack's lock", "5m")
    .action(async (opts: ServeOpts) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected a port number, got ${JSON.stringify(opts.port)}`);
      const ctx = await stackOf(opts.stack);
      const lockWaitMs = parseDuration(opts.lockWait, "--lock-wait");
      const cull = cullSchedule(ctx, {
        maxAgeMs: opts.cullMaxAge === undefined ? undefined : parseDuration(opts.cullMaxAge, "--cull-max-age"),
        everyMs: opts.cullInterval === undefined ? undefined : parseDuration(opts.cullInterval, "--cull-interval"),
      });
      const { isLoopback } = await import("../serve/auth.ts");
      const token = await bearerToken(ctx, opts);
      if (!isLoopback(opts.host) && !token) {
        throw new UsageError(`--host ${opts.host} reaches beyond this machine: set ${opts.tokenEnv} (or --token-secret NAME) to the bearer token clients must send`);
      }
      const { StackService } = await import("../serve/stack-service.ts");
      const { buildServer } = await import("../serve/app.ts");
      const { BatchedStack } = await import("../operations/batched-stack.ts");
      const { batchedDeps } = await import("../operations/batched-stack-deps.ts");
      const log = (line: string) => progress(`hpx serve: ${line}`);
      // A signal stops taking requests and stops the change in flight as it stops hpx up
      // (state written, lock released), then exits 0; a second one exits at once.
      const stop = stopOnSignals({
        first: (name) => `hpx serve: ${name} received: no new requests; stopping the change in flight after the steps under way`,
        again: (name, killed) => `hpx serve: ${name} again: stopped at once (${killed} engine process(es) killed); if stack ${ctx.name} stays locked, clear it with hpx cancel -s ${ctx.name}`,
        // Before the server listens there is nothing in flight to stop.
        onFirst: () => void (listening ? shutdown() : process.exit(0)),
      });
      let listening = false;
      const stack = new BatchedStack(ctx.name, batchedDeps(ctx, { lockWaitMs, signal: stop.signal, log }));
      await stack.load();
      const { processLogLines } = await import("../operations/logs.ts");
      const readLogs = (name: string, tail: number | undefined) => processLogLines(ctx, name, tail === undefined ? {} : { tailLines: tail });
      const app = await buildServer(new StackService(stack, stop.signal, readLogs), { token, log });
      const address = await app.listen({ port, host: opts.host });
      listening = true;
      progress(`hpx serve: stack ${ctx.name} at ${address} (OpenAPI: ${address}/openapi.json)${token ? "; bearer token required" : ""}`);
      if (cull) {
        progress(`culling processes older than ${cull.maxAgeMs / 1000} s every ${cull.everyMs / 1000} s`);
        const timer = setInterval(() => {
          stack.cull(cull.maxAgeMs).then(
            (names) => names.length > 0 && progress(`culled ${names.join(", ")}`),
            (err: Error) => progress(`culling failed: ${err.message}`),
          );
        }, cull.everyMs);
        app.addHook("onClose", async () => clearInterval(timer));
      }
      async function shutdown(): Promise<void> {
        const closed = app.close();
        const dropped = await stack.close();
        if (dropped.length > 0) log(`${dropped.length} accepted change(s) were not applied: ${dropped.map((c) => c.what).join(", ")}`);
        // The answers to requests in flight are written; a client's kept-alive connection
        // would otherwise hold the server open until its keep-alive timeout (72 s).
        await new Promise((r) => setTimeout(r, 100));
        app.server.closeIdleConnections();
        const late = setTimeout(() => app.server.closeAllConnections(), 5000);
        await closed;
        clearTimeout(late);
        await stop.done((line) => progress(`hpx serve: ${line}`));
        progress("hpx serve: stopped");
        process.exit(0);
      }
    });
}
