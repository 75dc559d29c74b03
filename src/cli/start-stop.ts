import type { Command } from "commander";
import { UsageError } from "../errors.ts";
import { jsonOption, stackOf, stackOption } from "./options.ts";
const commands = () => import("./run-commands.ts"); // loaded on use: keeps start-up fast
const edits = () => import("../operations/edit-stack.ts");

/** Hydroplane-style edits of the stack's desired state, applied at once. */
export function registerStartStop(program: Command): void {
  program
    .command("start <spec>")
    .description("add (or replace) the processes of a Hydroplane spec file and apply")
    .addOption(stackOption())
    .addOption(jsonOption())
    .action(async (file: string, opts: { stack: string; json?: boolean }) => {
      const { readProcessFile } = await import("../spec/load-process-file.ts");
      const source = readProcessFile(file);
      const ctx = await stackOf(opts.stack);
      const { startEdit } = await edits();
      await (await commands()).editCommand(ctx, startEdit(ctx.name, source.processes, { replace: true }), { json: opts.json }, source);
    });

  program
    .command("stop [name]")
    .description("remove one process, or with -g every process of a group, and apply")
    .addOption(stackOption())
    .option("-g, --group <group>", "stop every process of this group")
    .addOption(jsonOption())
    .action(async (name: string | undefined, opts: { stack: string; group?: string; json?: boolean }) => {
      if ((name === undefined) === (opts.group === undefined)) throw new UsageError("give a process NAME or -g GROUP (one of them)");
      const ctx = await stackOf(opts.stack);
      const { stopEdit, stopGroupEdit } = await edits();
      const edit = opts.group !== undefined ? stopGroupEdit(ctx.name, opts.group, { emptyOk: false }) : stopEdit(ctx.name, name!);
      await (await commands()).editCommand(ctx, edit, { json: opts.json });
    });
}
