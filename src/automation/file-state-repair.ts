import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * The file backend stores each blob with a sidecar `<name>.attrs` (content type, MD5),
 * written in place after the blob's temporary file and before the rename that makes the
 * blob current. A run killed inside that write leaves the sidecar empty or cut short, and
 * from then on every read of the stack fails with `error: EOF`, although the blob itself
 * is whole (it is still the previous checkpoint). The library reads a missing sidecar as
 * "no attributes", so removing a broken one restores the stack exactly as it was.
 *
 * Only sidecars are touched, never a checkpoint: a damaged checkpoint is the user's to
 * restore (hpx refuses it, see readOutputs).
 */
export function repairBlobAttributes(backendDir: string): string[] {
  const root = join(backendDir, ".pulumi");
  const removed: string[] = [];
  // The stacks' and locks' folders and meta.yaml; not history/backups, which no run reads.
  for (const dir of [root, ...subdirs(join(root, "stacks")), ...subdirs(join(root, "locks"))]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (!name.endsWith(".attrs")) continue;
      const path = join(dir, name);
      if (!statSync(path).isFile() || wellFormed(path)) continue;
      rmSync(path, { force: true });
      removed.push(path);
    }
  }
  return removed;
}

/** The folder and every folder below it (stacks/<project>/, locks/<project>/<stack>/). */
function subdirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return [dir, ...readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).flatMap((e) => subdirs(join(dir, e.name)))];
}

function wellFormed(path: string): boolean {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
    return typeof parsed === "object" && parsed !== null;
  } catch {
    return false;
  }
}
