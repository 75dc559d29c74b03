import type { Command } from "commander";
import { STOP_SIGNALS, StopRequest, UsageError, interrupted, type StopSignal } from "../errors.ts";
import { parseDuration } from "./duration.ts";
import { interactive } from "./interactive.ts";
import { stackOf, stackOption } from "./options.ts";

interface LogsFlags {
  stack: string;
  /** Every process of this group, each line prefixed with `[process] `. */
  group?: string;
  /** Keep printing new lines until Ctrl-C. */
  follow?: boolean;
  /** Only lines newer than this duration (10m, 1h). */
  since?: string;
  /** Only the last N lines (of each process). */
  tail?: string;
  /** The previous run of the process's container. */
  previous?: boolean;
  /** Each line with the time it was printed. */
  timestamps?: boolean;
}

/** `--tail N`: a whole number of lines, 0 or more. */
export function parseTail(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`--tail: expected a number of lines (0 or more), got ${JSON.stringify(text)}`);
  return Number(text.trim());
}

/**
 * Ctrl-C (and SIGTERM, SIGHUP) ends the reading: `-f` has no other end. The handlers are
 * removed afterwards, so a second signal kills hpx as usual.
 */
function stopOnSignal(): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const handlers = (Object.keys(STOP_SIGNALS) as StopSignal[]).map((name) => {
    const handler = () => controller.abort(new StopRequest(name));
    process.once(name, handler);
    return [name, handler] as const;
  });
  return { signal: controller.signal, done: () => handlers.forEach(([name, handler]) => process.off(name, handler)) };
}

export function registerLogs(program: Command): void {
  program
    .command("logs [name]")
    .description("print what a process prints (with -g, every process of a group, each line prefixed with its name)")
    .addOption(stackOption())
    .option("-g, --group <group>", "every process of this group, lines prefixed with [name]")
    .option("-f, --follow", "keep printing new lines until Ctrl-C")
    .option("--since <duration>", "only lines newer than this, e.g. 10m or 1h")
    .option("--tail <n>", "only the last N lines of each process")
    .option("--previous", "the previous run of the process (after a restart)")
    .option("--timestamps", "each line with the time it was printed")
    .action(async (name: string | undefined, opts: LogsFlags) => {
      if ((name === undefined) === (opts.group === undefined)) throw new UsageError("give a process NAME or -g GROUP (one of them)");
      const podOptions = {
        follow: opts.follow ?? false,
        previous: opts.previous ?? false,
        timestamps: opts.timestamps ?? false,
        ...(opts.tail !== undefined ? { tailLines: parseTail(opts.tail) } : {}),
        ...(opts.since !== undefined ? { sinceSeconds: Math.ceil(parseDuration(opts.since, "--since") / 1000) } : {}),
      };
      const ctx = await stackOf(opts.stack);
      const { processLogs } = await import("../operations/logs.ts");
      const prefixed = opts.group !== undefined;
      const stop = stopOnSignal();
      try {
        await processLogs(ctx, opts.group !== undefined ? { group: opts.group } : { name: name! }, podOptions, {
          onLine: (proc, line) => void process.stdout.write(prefixed ? `[${proc}] ${line}\n` : `${line}\n`),
          onSkipped: (proc, why) => void process.stderr.write(`hpx: process ${proc} has no log yet: ${why}\n`),
          signal: stop.signal,
          interactive: interactive(),
        });
      } finally {
        stop.done();
      }
      if (stop.signal.aborted) throw interrupted("stopped reading the logs", stop.signal);
    });
}
