import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "vitest";
import { repoRoot } from "../src/toolchain.ts";
import { hpx } from "./harness/cli.ts";
import { testDir } from "./harness/env.ts";

const PASSWORD = { HPX_SECRET_STORE_PASSWORD: "a long store password" };

function withStdin(args: string[], input: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(repoRoot, "bin", "hpx"), args, { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

test("hpx secrets: init, add from a file and from stdin, get, ls, rm", async () => {
  const dir = testDir("secrets");
  const store = join(dir, "store");
  assert.deepEqual(await hpx(["secrets", "init", "--store", store], PASSWORD), { code: 0, stdout: `created secret store ${store}\n`, stderr: "" });
  writeFileSync(join(dir, "creds.json"), '{"AccessKeyId":"AKIAEXAMPLE","SecretAccessKey":"wJalr-secret"}');
  assert.equal((await hpx(["secrets", "add", "aws-creds", "-f", join(dir, "creds.json"), "--store", store], PASSWORD)).stdout, "stored secret aws-creds\n");
  assert.equal((await withStdin(["secrets", "add", "api", "--store", store], "tok-123", PASSWORD)).code, 0);
  assert.equal((await hpx(["secrets", "get", "api", "--store", store], PASSWORD)).stdout, "tok-123");
  assert.deepEqual(JSON.parse((await hpx(["secrets", "ls", "--json", "--store", store], PASSWORD)).stdout), ["api", "aws-creds"]);
  assert.equal((await hpx(["secrets", "rm", "api", "--store", store], PASSWORD)).code, 0);
  assert.equal((await hpx(["secrets", "ls", "--store", store], PASSWORD)).stdout, "aws-creds\n");
  for (const f of readdirSync(store)) assert.ok(!readFileSync(join(store, f), "utf8").includes("wJalr-secret"));
});

test("a wrong password fails with a clear error that shows nothing secret; no password at all is a usage error", async () => {
  const dir = testDir("secrets-wrong");
  const store = join(dir, "store");
  await hpx(["secrets", "init", "--store", store], PASSWORD);
  await withStdin(["secrets", "add", "api", "--store", store], "tok-123", PASSWORD);
  const wrong = await hpx(["secrets", "get", "api", "--store", store], { HPX_SECRET_STORE_PASSWORD: "not the password" });
  assert.deepEqual(wrong, { code: 1, stdout: "", stderr: `hpx: wrong password for the secret store at ${store}\n` });
  const none = await hpx(["secrets", "ls", "--store", store], { HPX_SECRET_STORE_PASSWORD: "" });
  assert.equal(none.code, 2);
  assert.equal(none.stderr, "hpx: the secret store needs its password: set HPX_SECRET_STORE_PASSWORD or pass --password-file, or run at a terminal\n");
  writeFileSync(join(dir, "pw"), "a long store password\n", { mode: 0o600 });
  assert.equal((await hpx(["secrets", "get", "api", "--store", store, "--password-file", join(dir, "pw")], { HPX_SECRET_STORE_PASSWORD: "" })).stdout, "tok-123");
});
