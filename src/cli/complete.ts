import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command, Option } from "commander";

/** What completion may look up besides the command tree. */
export interface CompletionSources {
  /** Stack names: `stacks/*.yml` in the current directory, and `local`. */
  stacks(): string[];
  /** Process names of a stack, as its last update recorded them. */
  processes(stack: string): string[];
}

/** Where hpx keeps the process names of each stack's last update, for completion. */
export const completionFile = (home: string, stack: string): string => join(home, "completion", `${stack}.names`);

/** Stack names and recorded process names from the file system (no engine run: completion must be quick). */
export function fileSources(cwd: string, home: string): CompletionSources {
  return {
    stacks: () => {
      const dir = join(cwd, "stacks");
      const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".yml")).map((f) => f.slice(0, -4)) : [];
      return [...new Set(["local", ...files])].sort();
    },
    processes: (stack) => {
      const file = completionFile(home, stack);
      return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter((l) => l !== "") : [];
    },
  };
}

/**
 * The subcommands help lists (commander's public Help API), without the implicit `help`
 * command, which is the one that is not in `c.commands`.
 */
const visible = (c: Command): Command[] => c.createHelp().visibleCommands(c).filter((s) => c.commands.includes(s));
const flags = (o: Option): string[] => [o.short, o.long].filter((f): f is string => f !== undefined);
const takesValue = (o: Option): boolean => o.required || o.optional;

/** The words that are arguments, not flags or flag values. */
function positionals(cmd: Command, words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith("-")) out.push(w);
    else if (cmd.options.some((o) => flags(o).includes(w) && takesValue(o))) i++;
  }
  return out;
}

/** Commands whose first argument is a process name. */
const PROCESS_ARGS = new Set(["stop", "logs"]);
const VALUES: Record<string, string[]> = { "--output": ["table", "json", "wide"] };

/**
 * The candidates for the last word of `words` (the words after `hpx`, the last one being
 * completed, possibly empty): subcommands, then flags, flag values (stacks, groups of
 * formats), and process names for commands that take one.
 */
export function complete(program: Command, words: readonly string[], sources: CompletionSources): string[] {
  const current = words.at(-1) ?? "";
  let cmd = program;
  let i = 0;
  const before = words.slice(0, -1);
  for (; i < before.length; i++) {
    const sub = visible(cmd).find((c) => c.name() === before[i] || c.aliases().includes(before[i]!));
    if (!sub) break;
    cmd = sub;
  }
  const rest = before.slice(i);
  const stack = (() => {
    const at = rest.findIndex((w) => w === "-s" || w === "--stack");
    return at >= 0 && rest[at + 1] ? rest[at + 1]! : "local";
  })();
  const previous = before.at(-1);
  const valueOf = previous === undefined ? undefined : cmd.options.find((o) => flags(o).includes(previous) && takesValue(o));
  let candidates: string[];
  if (valueOf) {
    const long = valueOf.long ?? "";
    if (long === "--stack") candidates = sources.stacks();
    else candidates = VALUES[long] ?? [];
  } else if (current.startsWith("-")) {
    candidates = [...cmd.options.flatMap((o) => (o.long ? [o.long] : [])), "--help"];
  } else if (visible(cmd).length > 0 && rest.length === 0) {
    candidates = visible(cmd).map((c) => c.name());
  } else if (PROCESS_ARGS.has(cmd.name()) && positionals(cmd, rest).length === 0) {
    candidates = sources.processes(stack);
  } else {
    candidates = [];
  }
  return candidates.filter((c) => c.startsWith(current)).sort();
}
