import { mkdirSync } from "node:fs";
import { UsageError } from "../errors.ts";
import { expandHome, hpxHome } from "../paths.ts";

/** Pulumi project name of every hpx stack. */
export const PROJECT = "hpx";

/** Turns `file://~/.hpx/state` into an absolute URL and creates the directory. */
export function resolveBackend(url: string): string {
  if (url.startsWith("file://")) {
    // `~/.hpx` is hpx's home: HPX_HOME moves it, and the state with it.
    const path = url.slice("file://".length);
    const dir = path === "~/.hpx" || path.startsWith("~/.hpx/") ? hpxHome() + path.slice("~/.hpx".length) : expandHome(path);
    if (!dir.startsWith("/")) throw new UsageError(`backend ${url}: a file:// backend needs an absolute path or ~/`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return `file://${dir}`;
  }
  if (url.startsWith("s3://")) return url;
  throw new UsageError(`backend ${url}: expected file://PATH or s3://BUCKET[/PREFIX]?region=...`);
}
