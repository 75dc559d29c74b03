import type { Command } from "commander";
import { jsonOption, stackOf, stackOption } from "./options.ts";
import { printJson, printLines, progress } from "./output.ts";

/** `hpx cancel`: clears the lock a killed run left, saying whose it was. */
export function registerCancel(program: Command): void {
  program
    .command("cancel")
    .description("remove the stack's lock left by a run that was killed, after saying whose it was")
    .addOption(stackOption())
    .addOption(jsonOption())
    .action(async (opts: { stack: string; json?: boolean }) => {
      const ctx = await stackOf(opts.stack);
      const { cancel } = await import("../operations/cancel.ts");
      const { engine } = await import("../operations/real-ports.ts");
      // Engine processes a killed run left on this machine are ended first, and named.
      const { removed, described } = await cancel(engine, ctx.name, ctx.settings.backend, opts.json ? undefined : progress);
      if (opts.json) return printJson({ stack: ctx.name, removed });
      if (removed.length === 0) return printLines(`stack ${ctx.name}: no lock found; asked the backend to cancel any update in progress`);
      for (const line of described) printLines(`removed the lock of stack ${ctx.name} ${line}`);
    });
}
