import { chmodSync, copyFileSync, constants, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { basename, join } from "node:path";

/**
 * Installs a resource plugin's binary into a Pulumi plugins directory the way the CLI lays
 * it out (`<plugins>/resource-<name>-v<version>/pulumi-resource-<name>`), by copying the
 * file into a directory of its own and renaming that into place.
 *
 * Why not `pulumi plugin install --file`: that CLI call held ~470 MB resident for the
 * 160 MB kubernetes binary (measured with bench/memory.ts), the largest process of a first
 * `hpx up`. The copy is done by the kernel (copy_file_range, or a reflink where the file
 * system has them) and holds nothing. The rename makes the directory appear whole, so an
 * engine never finds half a binary, and two first runs at once both succeed: the one that
 * renames second finds the directory there and drops its own copy.
 *
 * @returns the installed binary's path.
 */
export function installPluginFile(pluginsDir: string, kind: "resource", name: string, version: string, file: string): string {
  const dir = join(pluginsDir, `${kind}-${name}-v${version}`);
  const installed = join(dir, `pulumi-${kind}-${name}`);
  if (existsSync(installed)) return installed;
  mkdirSync(pluginsDir, { recursive: true, mode: 0o700 });
  // A dot name in the same directory (so the rename stays on one file system): Pulumi's
  // plugin listing takes only names of the form kind-name-vVERSION for plugins.
  const staging = mkdtempSync(join(pluginsDir, `.${basename(dir)}-`));
  try {
    copyFileSync(file, join(staging, basename(installed)), constants.COPYFILE_FICLONE);
    // The copy keeps the source's mode; Pulumi's own installs are the owner's only (mkdtemp's directory already is).
    chmodSync(join(staging, basename(installed)), 0o700);
    try {
      renameSync(staging, dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (!((code === "ENOTEMPTY" || code === "EEXIST") && existsSync(installed))) throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return installed;
}
