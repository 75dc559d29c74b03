import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * `pulumi version`'s answer for one CLI file, kept in `dir` (hpx's home) by the file's
 * real path, size, modification time and inode: a CLI replaced or upgraded in place is
 * asked again. A CLI start costs ~0.25 s of CPU here, and every hpx command that opened a
 * stack paid it once, or twice for an installed CLI (hpx's choice of CLI, then the
 * Automation API's own check). An answer that is not a version is not kept.
 */
export function rememberedVersion(bin: string, dir: string, ask: (bin: string) => string | undefined): string | undefined {
  let key: string;
  try {
    const real = realpathSync(bin);
    const st = statSync(real);
    key = createHash("sha256").update(`${real}\0${st.size}\0${st.mtimeMs}\0${st.ino}`).digest("hex").slice(0, 32);
  } catch {
    return ask(bin);
  }
  const file = join(dir, key);
  try {
    const kept = readFileSync(file, "utf8").trim();
    if (kept) return kept;
  } catch {
    // Not asked yet.
  }
  const version = ask(bin);
  if (version !== undefined && /^v?\d+\.\d+\.\d+\S*$/.test(version)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Written whole, then renamed: a reader never sees half an answer.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${version}\n`);
    renameSync(tmp, file);
  }
  return version;
}
