import type { Command } from "commander";
import { interactive } from "./interactive.ts";
import type { ProcessInfo } from "../operations/list.ts";
import { UsageError } from "../errors.ts";
import { printJson, printLines } from "./output.ts";
import { stackOf, stackOption } from "./options.ts";
import { renderTable } from "./table.ts";

const FORMATS = ["table", "json", "wide"] as const;
type Format = (typeof FORMATS)[number];

function addresses(p: ProcessInfo): string {
  return p.socket_addresses.map((a) => `${a.host}:${a.port}${a.is_public ? "" : " (private)"}`).join(", ") || "-";
}

/** The table people read: one row per process. */
export function processTable(processes: ProcessInfo[], wide: boolean): string {
  const head = ["NAME", "GROUP", "STATUS", "ADDRESSES", "CREATED", ...(wide ? ["NODE", "REASON"] : [])];
  const rows = processes.map((p) => [
    p.process_name,
    p.group ?? "-",
    p.status,
    addresses(p),
    p.created,
    ...(wide ? [p.node ?? "-", p.reason ?? ""] : []),
  ]);
  return renderTable(head, rows);
}

export function registerLs(program: Command): void {
  program
    .command("ls")
    .description("list processes and where they can be reached")
    .addOption(stackOption())
    .option("-g, --group <group>", "only this group")
    .option("-o, --output <format>", "table | json | wide", "table")
    .action(async (opts: { stack: string; group?: string; output: string }) => {
      if (!(FORMATS as readonly string[]).includes(opts.output)) {
        throw new UsageError(`-o must be one of ${FORMATS.join(", ")}, got ${opts.output}`);
      }
      const format = opts.output as Format;
      const ctx = await stackOf(opts.stack);
      const { listStack } = await import("../operations/list.ts");
      const { processes: list, simulated } = await listStack(ctx, { group: opts.group, interactive: interactive() });
      if (format === "json") return printJson(list);
      if (list.length === 0) return printLines(`no processes in stack ${ctx.name}${opts.group ? ` group ${opts.group}` : ""}`);
      printLines(processTable(list, format === "wide"));
      if (list.some((p) => p.status === "STARTING" && p.socket_addresses.length > 0)) {
        printLines("(STARTING: the addresses the process will have once it runs; hpx serve, as Hydroplane, lists none until RUNNING)");
      }
      if (simulated) printLines("(local simulated cluster: addresses are simulated, nothing really listens there)");
    });
}
