import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { StackError } from "../errors.ts";
import { hpxHome } from "../paths.ts";
import { PROJECT } from "./backend-url.ts";
import { checkpointView } from "./checkpoint-view.ts";
import type { Deployment } from "./shard-state.ts";

/**
 * A stack's deployment read from a `file://` backend's checkpoint, without starting the
 * Pulumi CLI (about half a second per stack, and a sharded stack has many); undefined
 * when the stack has none. The DIY backend writes a checkpoint to a temporary name and
 * renames it, so a reader never sees half of one. Other backends go through the CLI.
 */
export function readCheckpoint(fileUrl: string, stack: string): Deployment | undefined {
  const file = checkpointFile(fileUrl, stack);
  return file && parseCheckpoint(file.path, file.bytes, stack);
}

/**
 * {@link readCheckpoint}, but only what hpx's view of a sharded stack reads of it
 * (checkpoint-view.ts), from a copy in HPX_HOME made from the same bytes when there is one.
 */
export function readCheckpointView(fileUrl: string, stack: string): Deployment | undefined {
  // An update reads every shard's state three or four times (the guards, the shards'
  // settling, the read after it): at 5,000 processes 52 MB hashed each time, ~75 ms. A
  // file not written since this process last read it is not read again. The backend
  // renames a new checkpoint in, so any write changes the file's inode and times.
  const base = checkpointPath(fileUrl, stack);
  const stamp = fileStamp(base) ?? fileStamp(`${base}.gz`);
  const seen = viewsRead.get(base);
  if (stamp !== undefined && seen?.stamp === stamp) return seen.view;
  const file = checkpointFile(fileUrl, stack);
  const view = file && checkpointView(join(hpxHome(), "cache", "checkpoint-views"), file.path, file.bytes, () => parseCheckpoint(file.path, file.bytes, stack));
  if (stamp !== undefined && view !== undefined) viewsRead.set(base, { stamp, view });
  return view;
}

/** The views this process has read, by checkpoint path, with the stamp of the file they came from. */
const viewsRead = new Map<string, { stamp: string; view: Deployment }>();

/** What changes whenever stack `stack`'s checkpoint is written ("none": it has none). */
export function checkpointStamp(fileUrl: string, stack: string): string {
  const base = checkpointPath(fileUrl, stack);
  return fileStamp(base) ?? fileStamp(`${base}.gz`) ?? "none";
}

/** What changes whenever a file is written or replaced (undefined: no such file). */
function fileStamp(path: string): string | undefined {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return undefined;
  }
}

/** Whether a file backend holds a state file of `stack` (the Pulumi CLI then finds the stack). */
export function hasCheckpoint(fileUrl: string, stack: string): boolean {
  const base = checkpointPath(fileUrl, stack);
  return existsSync(base) || existsSync(`${base}.gz`);
}

const checkpointPath = (fileUrl: string, stack: string) => join(fileUrl.slice("file://".length), ".pulumi", "stacks", PROJECT, `${stack}.json`);

function checkpointFile(fileUrl: string, stack: string): { path: string; bytes: Buffer } | undefined {
  const base = checkpointPath(fileUrl, stack);
  if (existsSync(base)) return { path: base, bytes: readFileSync(base) };
  if (existsSync(`${base}.gz`)) return { path: base, bytes: gunzipSync(readFileSync(`${base}.gz`)) };
  return undefined;
}

function parseCheckpoint(base: string, bytes: Buffer, stack: string): Deployment {
  const unreadable = (why: string) =>
    new StackError(`cannot read the state of stack ${stack}: ${base}: ${why}`, undefined, [
      "nothing was changed; restore the stack's state file from a copy (hpx never rewrites a state it cannot read)",
    ]);
  let parsed: { checkpoint?: { latest?: Deployment } };
  try {
    parsed = JSON.parse(bytes.toString("utf8")) as typeof parsed;
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
