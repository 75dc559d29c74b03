/**
 * The digests of processes hpx has digested before, remembered between commands. Every
 * command that compares the file with the cluster digests every process (build its
 * objects, canonical JSON, HMAC): 0.85 s of a no-op preview at 5,000 processes
 * (docs/performance.md, run G), although a file of 5,000 rarely changes more than a few.
 *
 * A process's entry is found by an HMAC, with the stack's digest key, of everything its
 * digests are made from: its spec as parsed, the namespace, the stack's mark, and the
 * code that builds and digests objects (this directory's sources and the two modules
 * outside it they use, {@link BUILDER_SOURCES}). A process whose objects hold values from
 * the secret store is digested every time: its values may change while its spec does not.
 */
import { createHash, createHmac, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { HPX_VERSION } from "../version.ts";
import { appliedDigests, DEFAULT_DIGEST_KEY, markedProcess, type Digests, type MarkOptions } from "./marked-objects.ts";

/** Where digests are kept between commands (automation/digest-store.ts: a file in HPX_HOME). */
export interface DigestStore {
  /** The entries kept, by key; none when there are none or they cannot be read. */
  load(): Record<string, Record<string, string>>;
  /** Keeps exactly these entries (those of the processes digested last). */
  save(entries: Record<string, Record<string, string>>): void;
}

/** Sources outside this directory whose code the builders run (a test checks the list). */
export const BUILDER_SOURCES = ["../code-unit-order", "../spec/rules"];

/**
 * A hash of hpx's version and of the builders' sources. Read when this module loads, just
 * after the builders it imports: the code that runs is the code hashed (a long-running
 * `hpx serve` is not fooled by an upgrade on disk).
 */
export const BUILDERS_FINGERPRINT = ((): string => {
  const hash = createHash("sha256").update(HPX_VERSION);
  const here = import.meta.dirname;
  // .ts in a checkout, .js in the package.
  const ext = import.meta.filename.slice(import.meta.filename.lastIndexOf("."));
  try {
    const files = readdirSync(here)
      .filter((f) => f.endsWith(ext) && !f.includes(".test."))
      .sort()
      .map((f) => join(here, f));
    for (const file of [...files, ...BUILDER_SOURCES.map((s) => join(here, `${s}${ext}`))]) hash.update(file.slice(here.length)).update("\0").update(readFileSync(file));
  } catch {
    // Sources laid out otherwise (a bundle): a fingerprint no other run has, so nothing is reused.
    hash.update(randomUUID());
  }
  return hash.digest("hex");
})();

/** Whether any of the process's objects takes a value from the secret store. */
export function usesSecretStore(spec: ProcessSpec): boolean {
  const c = spec.container;
  return (c.env ?? []).some((e) => typeof e.value !== "string") || (c.username !== undefined && typeof c.username !== "string") || c.password !== undefined;
}

/** The entry of `spec` under `opts`; undefined for a process that uses the secret store. */
export function memoKey(spec: ProcessSpec, opts: MarkOptions): string | undefined {
  if (usesSecretStore(spec)) return undefined;
  const made = JSON.stringify([BUILDERS_FINGERPRINT, opts.namespace, opts.mark, spec]);
  return createHmac("sha256", opts.digestKey ?? DEFAULT_DIGEST_KEY).update(made).digest("hex").slice(0, 32);
}

/** The digests of `processes` (per process, as desiredDigests gives them), from `store` where it has them. */
export function memoizedDigests(processes: readonly ProcessSpec[], opts: MarkOptions, store: DigestStore | undefined): Digests {
  const digest = (spec: ProcessSpec) => appliedDigests(markedProcess(spec, opts));
  if (!store) return Object.fromEntries(processes.map((spec) => [spec.process_name, digest(spec)]));
  const known = store.load();
  const kept: Record<string, Record<string, string>> = {};
  let made = 0;
  const out: Digests = {};
  for (const spec of processes) {
    const key = memoKey(spec, opts);
    if (key === undefined) {
      out[spec.process_name] = digest(spec);
      continue;
    }
    let digests = known[key];
    if (digests === undefined) {
      digests = digest(spec);
      made++;
    }
    out[spec.process_name] = kept[key] = digests;
  }
  if (made > 0 || Object.keys(known).length !== Object.keys(kept).length) store.save(kept);
  return out;
}
