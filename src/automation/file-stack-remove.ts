/**
 * Removes a stack from a `file://` backend the way `pulumi stack rm --force` does there
 * (pkg/backend/diy: take the stack's lock, move its checkpoint to `<file>.bak`, delete
 * its history, release the lock), without starting a Pulumi CLI.
 *
 * A sharded destroy removes every shard stack: one CLI each took 5–6.4 s of a destroy
 * of 1,000 processes (16 shards, four CLIs at once on a cluster busy deleting pods),
 * about a quarter of it, where these file moves take milliseconds.
 */
import { existsSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { PROJECT } from "./backend-url.ts";
import { lockFileStack } from "./file-stack-lock.ts";

/**
 * Removes `stack` from the file backend at `url`. Throws `StackLockedError` when another
 * run holds its lock (as the CLI would), and removes nothing then. A stack without a
 * checkpoint is already gone: nothing to do.
 */
export function removeFileStack(url: string, stack: string): void {
  const backend = join(url.slice("file://".length), ".pulumi");
  const release = lockFileStack(url, stack);
  try {
    const base = join(backend, "stacks", PROJECT, `${stack}.json`);
    // The backend writes `<stack>.json`, or `<stack>.json.gz` with PULUMI_DIY_BACKEND_GZIP.
    for (const file of [base, `${base}.gz`]) {
      if (!existsSync(file)) continue;
      // The checkpoint goes last: while it is there, the stack is still listed whole.
      moveAttributes(file);
      renameSync(file, `${file}.bak`);
    }
    rmSync(join(backend, "history", PROJECT, stack), { recursive: true, force: true });
  } finally {
    release();
  }
}

/**
 * A blob's attributes sidecar (`<file>.attrs`: content type, MD5) follows it to the
 * backup. Without one, the backup's old sidecar goes: it describes other bytes.
 */
function moveAttributes(file: string): void {
  if (existsSync(`${file}.attrs`)) renameSync(`${file}.attrs`, `${file}.bak.attrs`);
  else rmSync(`${file}.bak.attrs`, { force: true });
}
