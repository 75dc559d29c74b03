import { enableCompileCache } from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";

// V8's code cache (and, in a checkout, the type-stripped sources) kept on disk: a command
// loads hundreds to a thousand modules, and compiling them again on every run was half of
// `hpx --help` and a third of `hpx ls` (issue 21). Turned on before anything else is
// imported, so every module after this one loads through it; the imports below are
// dynamic for that reason. bin/hpx sets NODE_COMPILE_CACHE, which turns it on before this
// file too; it is Node's own and wins, and NODE_DISABLE_COMPILE_CACHE=1 turns it off. The
// directory is bin/hpx's: hpx's home (paths.ts `hpxHome`, not imported: it would load
// before the cache). Node keys entries by its version and each file's contents.
if (!process.env.NODE_COMPILE_CACHE) enableCompileCache(join(process.env.HPX_HOME || join(homedir(), ".hpx"), "compile-cache"));

const { CommanderError } = await import("commander");
const { ExitCode, HpxError, SpecError, formatIssue } = await import("./errors.ts");
const { buildProgram } = await import("./cli/program.ts");

/** The one place that turns errors into messages and exit codes. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof HpxError) return err.exitCode;
  if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  return ExitCode.failure;
}

function report(err: unknown): void {
  if (err instanceof CommanderError) return; // commander already printed it
  if (err instanceof SpecError) {
    // file:line:col: path: message, one per line, as compilers print them (editors jump to them).
    for (const issue of err.issues) process.stderr.write(`${formatIssue(issue)}\n`);
    const n = err.issues.length;
    process.stderr.write(`hpx: ${n} problem${n === 1 ? "" : "s"} found; nothing was changed\n`);
    return;
  }
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

// `hpx ls | head` closes the pipe early: stop quietly, as other command-line tools do.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err;
});

await main(process.argv);
