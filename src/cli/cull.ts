import type { Command } from "commander";
import { cullMaxAgeMs } from "../operations/culling.ts";
import { parseDuration } from "./duration.ts";
import { jsonOption, stackOf, stackOption } from "./options.ts";
import { printJson, printLines } from "./output.ts";

/** `hpx cull`: Hydroplane's process culling, on demand. */
export function registerCull(program: Command): void {
  program
    .command("cull")
    .description("stop the processes older than --max-age (default: the stack's process_culling.max_age_minutes)")
    .addOption(stackOption())
    .option("--max-age <duration>", "how old is too old: 90m, 2h (a bare number is seconds)")
    .addOption(jsonOption())
    .action(async (opts: { stack: string; maxAge?: string; json?: boolean }) => {
      const ctx = await stackOf(opts.stack);
      const maxAgeMs = cullMaxAgeMs(ctx, opts.maxAge === undefined ? undefined : parseDuration(opts.maxAge, "--max-age"));
      const { cullEdit } = await import("../operations/edit-stack.ts");
      const { editCommand } = await import("./run-commands.ts");
      let culled: string[] = [];
      await editCommand(ctx, cullEdit(maxAgeMs, Date.now(), (names) => (culled = names)), { json: opts.json, quiet: opts.json });
      if (opts.json) printJson({ stack: ctx.name, culled });
      else printLines(culled.length === 0 ? "no process is older than the limit" : `culled ${culled.length} process(es): ${culled.join(", ")}`);
    });
}
