import type { Command } from "commander";
import { EMPTY_STATE, withProcess, withoutGroup, withoutProcess } from "../automation/desired-state.ts";
import { UsageError } from "../errors.ts";
import { loadProcessFile } from "../spec/load-process-file.ts";
const engine = () => import("./apply.ts"); // loaded on use: keeps start-up fast
import { stackContext } from "../automation/stack-context.ts";

/** Hydroplane-style edits of the stack's desired state, applied at once. */
export function registerStartStop(program: Command): void {
  program
    .command("start <spec>")
    .description("add (or replace) the processes of a Hydroplane spec file and apply")
    .option("-s, --stack <stack>", "stack", "local")
    .option("--json", "machine-readable output")
    .action(async (file: string, opts: { stack: string; json?: boolean }) => {
      const specs = loadProcessFile(file);
      const ctx = stackContext(opts.stack);
      const { applyDesired, storedDesired } = await engine();
      let desired = (await storedDesired(ctx)) ?? EMPTY_STATE;
      for (const spec of specs) desired = withProcess(desired, spec);
      await applyDesired(ctx, desired, { yes: true, json: opts.json });
    });

  program
    .command("stop [name]")
    .description("remove one process, or with -g every process of a group, and apply")
    .option("-s, --stack <stack>", "stack", "local")
    .option("-g, --group <group>", "stop every process of this group")
    .option("--json", "machine-readable output")
    .action(async (name: string | undefined, opts: { stack: string; group?: string; json?: boolean }) => {
      if ((name === undefined) === (opts.group === undefined)) throw new UsageError("give a process NAME or -g GROUP (one of them)");
      const ctx = stackContext(opts.stack);
      const { applyDesired, storedDesired } = await engine();
      const stored = (await storedDesired(ctx)) ?? EMPTY_STATE;
      const desired = opts.group !== undefined ? withoutGroup(stored, opts.group, ctx.name) : withoutProcess(stored, name!, ctx.name);
      await applyDesired(ctx, desired, { yes: true, json: opts.json });
    });
}
