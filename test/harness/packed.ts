import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../../src/toolchain.ts";

/** What packAndInstall made: the tarball and a directory where it is installed as a user would. */
export interface Packed {
  tarball: string;
  /** An empty directory where `npm install <tarball>` ran: `npx hpx` works there. */
  app: string;
}

/** Builds and packs hpx into `out`, then installs the tarball into a fresh empty directory there. */
export function packAndInstall(out: string): Packed {
  execFileSync("npm", ["run", "--silent", "build"], { cwd: repoRoot, stdio: "pipe" });
  execFileSync("npm", ["pack", "--silent", "--pack-destination", out], { cwd: repoRoot, stdio: "pipe" });
  const name = readdirSync(out).find((f) => f.endsWith(".tgz"));
  assert.ok(name, `npm pack left no tarball in ${out}`);
  const app = mkdtempSync(join(out, "empty-"));
  const install = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", join(out, name)], { cwd: app, encoding: "utf8" });
  assert.equal(install.status, 0, install.stderr);
  return { tarball: join(out, name), app };
}
