import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "vitest";
import { initLocalStore, LocalSecretStore } from "./local-store.ts";
import { resolveRef } from "./secret-store.ts";

const PASSWORD = "correct horse battery";

function fresh(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "hpx-store-")), "store");
  initLocalStore(dir, PASSWORD);
  return dir;
}

test("add, get, ls, rm; JSON secrets answer by key as in Hydroplane", async () => {
  const dir = fresh();
  const store = new LocalSecretStore(dir, PASSWORD);
  store.add("aws-creds", '{"AccessKeyId":"AKIAEXAMPLE","SecretAccessKey":"hunter2-secret"}');
  store.add("api", "tok-123");
  assert.deepEqual(store.names(), ["api", "aws-creds"]);
  assert.equal(await new LocalSecretStore(dir, PASSWORD).read("api"), "tok-123");
  assert.equal(await resolveRef(store, { secret_name: "aws-creds", key: "SecretAccessKey" }), "hunter2-secret");
  store.add("api", "tok-456");
  assert.equal(await store.read("api"), "tok-456");
  store.remove("api");
  assert.deepEqual(store.names(), ["aws-creds"]);
  await assert.rejects(store.read("api"), { message: `secret api is not in the store at ${dir}` });
});

test("a wrong password is refused before anything is read or written", () => {
  const dir = fresh();
  assert.throws(() => new LocalSecretStore(dir, "wrong password"), { message: `wrong password for the secret store at ${dir}` });
  assert.deepEqual(readdirSync(dir), ["store.json"]);
});

test("files are 0600 in a 0700 directory, and show neither names nor values", () => {
  const dir = fresh();
  const store = new LocalSecretStore(dir, PASSWORD);
  store.add("database-password", "s3cr3t-value-XYZ");
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  for (const f of readdirSync(dir)) {
    assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600, f);
    const bytes = readFileSync(join(dir, f), "utf8");
    assert.ok(!bytes.includes("database-password") && !bytes.includes("s3cr3t-value-XYZ") && !f.includes("database"), f);
    assert.ok(!bytes.includes(PASSWORD));
  }
});

test("a secret file moved onto another name's slot is refused, not served", async () => {
  const dir = fresh();
  const store = new LocalSecretStore(dir, PASSWORD);
  store.add("a", "value-a");
  const [fileA] = readdirSync(dir).filter((f) => f.endsWith(".secret"));
  store.add("b", "value-b");
  const fileB = readdirSync(dir).find((f) => f.endsWith(".secret") && f !== fileA)!;
  renameSync(join(dir, fileA!), join(dir, fileB));
  await assert.rejects(store.read("b"), { message: `secret b in ${dir} is damaged (it does not decrypt as b)` });
});

test("init refuses an existing store and a short password", () => {
  const dir = fresh();
  assert.throws(() => initLocalStore(dir, PASSWORD), { message: `a secret store already exists at ${dir}` });
  assert.throws(() => initLocalStore(join(dir, "other"), "short"), { message: "the store password must have at least 8 characters" });
});

test("a store other users can read is refused, naming the files and the fix", () => {
  const dir = join(mkdtempSync(join(tmpdir(), "hpx-store-")), "s");
  initLocalStore(dir, PASSWORD);
  chmodSync(join(dir, "store.json"), 0o644);
  assert.throws(() => new LocalSecretStore(dir, PASSWORD), (err: Error & { hints: string[] }) => {
    assert.equal(err.message, `the secret store at ${dir} is open to other users: ${join(dir, "store.json")} (mode 644)`);
    assert.deepEqual(err.hints, [`fix it: chmod 700 ${dir} && chmod 600 ${dir}/*`]);
    return true;
  });
  chmodSync(join(dir, "store.json"), 0o600);
  chmodSync(dir, 0o755);
  assert.throws(() => new LocalSecretStore(dir, PASSWORD), { message: `the secret store at ${dir} is open to other users: ${dir} (mode 755)` });
});
