import { Option } from "commander";
import type { StackContext } from "../operations/stack-context.ts";

/**
 * stack-context.ts's DEFAULT_STACK (startup.test.ts keeps them equal), written out: that
 * module loads zod, yaml and the secret stores, which `hpx --help` and the commands'
 * definitions do not need.
 */
export const DEFAULT_STACK = "local";

/** `-s, --stack`, which every command that works on a stack takes. */
export const stackOption = (description = "stack"): Option => new Option("-s, --stack <stack>", description).default(DEFAULT_STACK);

/** The stack `-s` names (stack-context.ts `stackContext`), its module loaded when a command runs. */
export async function stackOf(name: string): Promise<StackContext> {
  return (await import("../operations/stack-context.ts")).stackContext(name);
}

/** `--json`: stdout for machines; people's progress stays on stderr. */
export const jsonOption = (): Option => new Option("--json", "machine-readable output");

/** `-v, --verbose`. */
export const verboseOption = (): Option => new Option("-v, --verbose", "also print hpx's steps and the engine's own output (on stderr)");

/** `--summary-md FILE`. */
export const summaryOption = (what: string): Option =>
  new Option("--summary-md <file>", `write a Markdown summary of the ${what} (also appended to $GITHUB_STEP_SUMMARY when set)`);

/** `--lock-wait DURATION` of the commands that fail at once on a held lock by default. */
export const lockWaitOption = (): Option =>
  new Option("--lock-wait <duration>", "when another update holds the stack, wait this long for it instead of failing at once");
