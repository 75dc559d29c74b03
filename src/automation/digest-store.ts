/**
 * The digest memo's store (components/digest-memo.ts): one file per hpx stack in
 * HPX_HOME/cache/digests, 0600 like the checkpoint views beside it. It holds digests only
 * (HMACs, as the cluster's annotations hold them) under keys that are HMACs too.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DigestStore } from "../components/digest-memo.ts";

/** The store of stack `stack` on backend `url`, in `cacheDir`. */
export function digestStore(cacheDir: string, url: string, stack: string): DigestStore {
  const file = join(cacheDir, `${createHash("sha256").update(`${url}\0${stack}`).digest("hex").slice(0, 32)}.json`);
  return {
    load: () => {
      try {
        const entries = (JSON.parse(readFileSync(file, "utf8")) as { entries?: unknown }).entries;
        return typeof entries === "object" && entries !== null ? (entries as Record<string, Record<string, string>>) : {};
      } catch {
        return {}; // none yet, or unreadable: every process is digested again
      }
    },
    save: (entries) => {
      try {
        mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
        const temp = `${file}.${process.pid}.tmp`;
        writeFileSync(temp, JSON.stringify({ entries }), { mode: 0o600 });
        renameSync(temp, file);
      } catch {
        // A read-only HPX_HOME: the next command digests again.
      }
    },
  };
}
