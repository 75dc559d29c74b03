import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { StackError } from "../errors.ts";
import { PROJECT } from "./backend-url.ts";
import type { Deployment } from "./shard-state.ts";

/**
 * A stack's deployment read from a `file://` backend's checkpoint, without starting the
 * Pulumi CLI (about half a second per stack, and a sharded stack has many); undefined
 * when the stack has none. The DIY backend writes a checkpoint to a temporary name and
 * renames it, so a reader never sees half of one. Other backends go through the CLI.
 */
export function readCheckpoint(fileUrl: string, stack: string): Deployment | undefined {
  const base = join(fileUrl.slice("file://".length), ".pulumi", "stacks", PROJECT, `${stack}.json`);
  let text: string | undefined;
  if (existsSync(base)) text = readFileSync(base, "utf8");
  else if (existsSync(`${base}.gz`)) text = gunzipSync(readFileSync(`${base}.gz`)).toString("utf8");
  if (text === undefined) return undefined;
  const unreadable = (why: string) =>
    new StackError(`cannot read the state of stack ${stack}: ${base}: ${why}`, undefined, [
      "nothing was changed; restore the stack's state file from a copy (hpx never rewrites a state it cannot read)",
    ]);
  let parsed: { checkpoint?: { latest?: Deployment } };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch (err) {
    throw unreadable((err as Error).message);
  }
  const latest = parsed.checkpoint?.latest ?? {};
  // The shape the CLI would refuse too: hpx reads no further than a well-formed checkpoint.
  const resources = latest.resources as unknown;
  if (resources !== undefined && resources !== null && !(Array.isArray(resources) && resources.every((r) => typeof r === "object" && r !== null && typeof (r as { urn?: unknown }).urn === "string"))) {
    throw unreadable("not a checkpoint: its resources are not a list of resources");
  }
  return latest;
}
