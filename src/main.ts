import { CommanderError } from "commander";
import { ExitCode, HpxError } from "./errors.ts";
import { buildProgram } from "./cli/program.ts";

/** The one place that turns errors into messages and exit codes. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof HpxError) return err.exitCode;
  if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  return ExitCode.failure;
}

function report(err: unknown): void {
  if (err instanceof CommanderError) return; // commander already printed it
  if (err instanceof HpxError) {
    process.stderr.write(`hpx: ${err.message}\n`);
    for (const hint of err.hints) process.stderr.write(`  ${hint}\n`);
    return;
  }
  const detail = process.env.HPX_DEBUG ? (err as Error)?.stack : (err as Error)?.message;
  process.stderr.write(`hpx: unexpected error: ${detail ?? String(err)}\n`);
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    report(err);
    process.exitCode = exitCodeFor(err);
  }
}

await main(process.argv);
