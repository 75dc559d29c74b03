import { homedir } from "node:os";
import { join } from "node:path";

/** `~/x` -> `$HOME/x`, as a shell would, for paths written in stack files and flags. */
export function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? homedir() + path.slice(1) : path;
}

/** hpx's own directory (HPX_HOME, else ~/.hpx): the local cluster, Pulumi's home, the stack passphrase, completion names. */
export function hpxHome(): string {
  return process.env.HPX_HOME ?? join(homedir(), ".hpx");
}
