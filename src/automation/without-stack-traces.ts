/**
 * Error stack traces off while engine runs are under way in this process (HPX_DEBUG keeps
 * them, as it keeps them in hpx's error output, main.ts).
 *
 * Pulumi's runtime, which runs the inline programs in hpx's own process, records a
 * formatted stack trace on every promise it makes (runtime/debuggable.ts), for a leak
 * report hpx never prints. In a CPU profile of a cold up of 1,000 processes that was
 * 5.1 s of hpx's 52 s of CPU; with `--stack-trace-limit=0` hpx's process used 33.1 and
 * 27.4 s of CPU against 36.0 and 38.1 s (docs/performance.md). The runtime's own record
 * of where each resource was declared raises the limit itself while it reads it.
 * Runs may overlap (`hpx serve`, shards side by side): the limit comes back when the last
 * one ends.
 */
let running = 0;
let saved = Error.stackTraceLimit;

export async function withoutStackTraces<T>(run: () => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  if (env.HPX_DEBUG) return run();
  if (running++ === 0) {
    saved = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
  }
  try {
    return await run();
  } finally {
    if (--running === 0) Error.stackTraceLimit = saved;
  }
}
