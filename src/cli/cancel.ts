import type { Command } from "commander";
import { printJson, printLines, progress } from "./output.ts";
import { stackContext } from "../automation/stack-context.ts";

/** `hpx cancel`: clears the lock a killed run left, saying whose it was. */
export function registerCancel(program: Command): void {
  program
    .command("cancel")
    .description("remove the stack's lock left by a run that was killed, after saying whose it was")
    .option("-s, --stack <stack>", "stack", "local")
    .option("--json", "machine-readable output")
    .action(async (opts: { stack: string; json?: boolean }) => {
      const ctx = stackContext(opts.stack);
      const { cancelLock } = await import("../automation/stack-operations.ts");
      const { describeLock, holderAlive } = await import("../automation/locks.ts");
      // Engine processes a killed run left on this machine are ended first, and named.
      const locks = await cancelLock(ctx.name, ctx.settings.backend, opts.json ? undefined : progress);
      if (opts.json) return printJson({ stack: ctx.name, removed: locks });
      if (locks.length === 0) return printLines(`stack ${ctx.name}: no lock found; asked the backend to cancel any update in progress`);
      for (const lock of locks) printLines(`removed the lock of stack ${ctx.name} ${describeLock(lock, holderAlive(lock))}`);
    });
}
