import { homedir } from "node:os";

/** `~/x` -> `$HOME/x`, as a shell would, for paths written in stack files and flags. */
export function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? homedir() + path.slice(1) : path;
}
