import type { Command } from "commander";
import { UsageError } from "../errors.ts";
import { parseDuration } from "./duration.ts";
import { printJson, printLines } from "./output.ts";
import { stackContext, type StackContext } from "../automation/stack-context.ts";

/** How old is too old: `--max-age`, else the stack's `process_culling.max_age_minutes`. */
export function cullMaxAgeMs(ctx: StackContext, flag: string | undefined): number {
  if (flag !== undefined) return parseDuration(flag, "--max-age");
  const minutes = ctx.settings.process_culling?.max_age_minutes;
  if (minutes === undefined) throw new UsageError(`give --max-age, or set process_culling.max_age_minutes in stack ${ctx.name}'s file`);
  return minutes * 60_000;
}

/** Stops the stack's processes older than `maxAgeMs` (by when hpx first applied them); returns their names. */
export async function cullStack(ctx: StackContext, maxAgeMs: number, json: boolean): Promise<string[]> {
  const { storedOutputs } = await import("../automation/stack-operations.ts");
  const { expiredProcesses } = await import("../automation/culling.ts");
  const { applyDesired } = await import("./apply.ts");
  const recorded = await storedOutputs(ctx.name, ctx.settings.backend);
  if (!recorded.desired) return [];
  const expired = expiredProcesses(recorded.desired, recorded.created, Date.now(), maxAgeMs);
  if (expired.length === 0) return [];
  const kept = { processes: recorded.desired.processes.filter((p) => !expired.includes(p.process_name)) };
  await applyDesired(ctx, kept, { yes: true, json, quiet: json });
  return expired;
}

/** `hpx cull`: Hydroplane's process culling, on demand. */
export function registerCull(program: Command): void {
  program
    .command("cull")
    .description("stop the processes older than --max-age (default: the stack's process_culling.max_age_minutes)")
    .option("-s, --stack <stack>", "stack", "local")
    .option("--max-age <duration>", "how old is too old: 90m, 2h (a bare number is seconds)")
    .option("--json", "machine-readable output")
    .action(async (opts: { stack: string; maxAge?: string; json?: boolean }) => {
      const ctx = stackContext(opts.stack);
      const maxAgeMs = cullMaxAgeMs(ctx, opts.maxAge);
      const culled = await cullStack(ctx, maxAgeMs, Boolean(opts.json));
      if (opts.json) printJson({ stack: ctx.name, culled });
      else printLines(culled.length === 0 ? "no process is older than the limit" : `culled ${culled.length} process(es): ${culled.join(", ")}`);
    });
}
