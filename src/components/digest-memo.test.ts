import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "vitest";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { BUILDER_SOURCES, memoizedDigests, memoKey, type DigestStore } from "./digest-memo.ts";
import { appliedDigests, markedProcess } from "./marked-objects.ts";
import { stackMark } from "./stack-mark.ts";

const plain = (name: string, image = "nginx:1"): ProcessSpec => ({ process_name: name, has_public_ip: false, container: { image_uri: image, ports: [{ container_port: 80, protocol: "tcp" }], env: [] } });
const withSecret = (name: string): ProcessSpec => ({ ...plain(name), container: { ...plain(name).container, env: [{ name: "T", value: { secret_name: "t" } }] } });
const opts = (digestKey = "k", value = "v1") => ({ namespace: "ns", secrets: () => value, mark: stackMark("prod", "0123456789abcdef0123456789abcdef", "ns"), digestKey });
const direct = (specs: ProcessSpec[], o = opts()) => Object.fromEntries(specs.map((s) => [s.process_name, appliedDigests(markedProcess(s, o))]));

/** A store in memory that counts its saves. */
function memory(): DigestStore & { entries: Record<string, Record<string, string>>; saves: number } {
  const store = {
    entries: {} as Record<string, Record<string, string>>,
    saves: 0,
    load: () => structuredClone(store.entries),
    save: (e: Record<string, Record<string, string>>) => {
      store.entries = structuredClone(e);
      store.saves++;
    },
  };
  return store;
}

test("remembered digests are the digests: first made and kept, then read back; a store kept for nothing else", () => {
  const specs = [plain("a"), plain("b"), withSecret("c")];
  const store = memory();
  assert.deepEqual(memoizedDigests(specs, opts(), store), direct(specs));
  assert.equal(store.saves, 1);
  assert.equal(Object.keys(store.entries).length, 2, "the process that uses the secret store is not kept");
  // Read back: the same digests, nothing saved again.
  assert.deepEqual(memoizedDigests(specs, opts(), store), direct(specs));
  assert.equal(store.saves, 1);
  // Entries are read, not recomputed: a planted entry is what comes back.
  const key = memoKey(plain("a"), opts())!;
  store.entries[key] = { "Deployment/a": "planted" };
  assert.deepEqual(memoizedDigests([plain("a")], opts(), store), { a: { "Deployment/a": "planted" } });
  assert.deepEqual(Object.keys(store.entries), [key], "entries of processes no longer digested are dropped");
});

test("a changed spec, digest key or secret value gives what digesting anew gives", () => {
  const store = memory();
  memoizedDigests([plain("a"), withSecret("c")], opts(), store);
  assert.deepEqual(memoizedDigests([plain("a", "nginx:2")], opts(), store), direct([plain("a", "nginx:2")]));
  assert.deepEqual(memoizedDigests([plain("a")], opts("other key"), store), direct([plain("a")], opts("other key")));
  assert.deepEqual(memoizedDigests([withSecret("c")], opts("k", "v2"), store), direct([withSecret("c")], opts("k", "v2")));
  assert.notDeepEqual(direct([withSecret("c")], opts("k", "v2")), direct([withSecret("c")], opts("k", "v1")));
  assert.equal(memoKey(plain("a"), opts()) === memoKey(plain("a"), opts("other key")), false);
});

test("the fingerprint covers every module outside components/ whose code the builders import", () => {
  const dir = import.meta.dirname;
  const outside = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".ts") && !n.includes(".test."))) {
    for (const m of readFileSync(join(dir, f), "utf8").matchAll(/^import (?!type )[^;]*? from "(\.\.\/[^"]+)\.ts";$/gm)) outside.add(m[1]!);
  }
  assert.deepEqual([...outside].filter((m) => !["../version", "../spec/process-spec"].includes(m)).sort(), [...BUILDER_SOURCES].sort());
});
