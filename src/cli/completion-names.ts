import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { hpxHome } from "../paths.ts";
import type { DesiredState } from "../spec/desired-state.ts";
import { completionFile } from "./complete.ts";

/** The process names of the stack's last update, for shell completion (a hint: failures are ignored). */
export function rememberNames(stack: string, desired: DesiredState): void {
  try {
    const file = completionFile(hpxHome(), stack);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, desired.processes.map((p) => `${p.process_name}\n`).join(""));
  } catch {
    // completion works without it
  }
}
