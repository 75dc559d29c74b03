import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "vitest";
import { repoRoot } from "../src/toolchain.ts";
import { hpx } from "./harness/cli.ts";
import { harnessEnv } from "./harness/env.ts";
import { project, type Project } from "./harness/project.ts";

// How hpx reads in a CI log (no terminal): a diff with values, a preview that promises
// nothing, and `up --yes` showing its plan before its changes.
const env = { HPX_SECRET_STORE_PASSWORD: "everyday store password", CI: "true" };
const spec = (image: string, mode: string, port: number) =>
  `process_name: app\ncontainer:\n  image_uri: ${image}\n  env: [{name: MODE, value: ${mode}}, {name: TOKEN, value: {secret_name: app, key: token}}]\n  ports: [{container_port: ${port}}]\n`;

/** stdout and stderr in the one order a CI log shows them. */
async function merged(p: Project, args: string[]): Promise<{ code: number | null; log: string }> {
  const file = join(p.dir, `log-${Date.now()}`);
  const fd = openSync(file, "w");
  const child = spawn(join(repoRoot, "bin", "hpx"), [...args, "-s", p.stack], { cwd: p.dir, env: { ...process.env, ...env }, stdio: ["ignore", fd, fd] });
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  closeSync(fd);
  return { code, log: readFileSync(file, "utf8") };
}

test("preview --diff names each changed field with its old and new value (a secret's hidden); a preview speaks of what would happen; up --yes prints its plan first", async () => {
  const p = await project("everyday");
  const store = join(p.dir, "store");
  p.write(`stacks/${p.stack}.yml`, `secret_store: {secret_store_type: local, store_location: ${store}}\nbackend: ${harnessEnv().backendUrl}\nruntime: {runtime_type: local, namespace: ${p.namespace}}\n`);
  assert.equal((await hpx(["secrets", "init", "--store", store], env, p.dir)).code, 0);
  const secret = async (token: string) => {
    p.write("app.json", JSON.stringify({ token }));
    const res = await hpx(["secrets", "add", "app", "-f", join(p.dir, "app.json"), "--store", store], env, p.dir);
    assert.equal(res.code, 0, res.stderr);
  };
  await secret("first-token-value");
  p.write("app.yml", spec("busybox", "fast", 80));

  // up --yes: the plan, then the progress, then the summary.
  const first = await merged(p, ["up", "app.yml", "--yes"]);
  assert.equal(first.code, 0, first.log);
  const lines = first.log.trimEnd().split("\n");
  assert.deepEqual(lines.slice(0, 2), ["+  app  create", "1 to create, 0 to update, 0 to replace, 0 to delete"]);
  // A "waiting: …" line comes with the cluster's pace (on a busy machine the pod is not yet
  // ready when the wait first looks: CI, 2026-12-04); every other line is exact.
  assert.deepEqual(lines.slice(2, -2).filter((l) => !l.startsWith("app: waiting: ")).sort(), [
    "app: created Deployment app",
    "app: created Secret app-env",
    "app: created Service app",
    "app: creating Deployment app",
    "app: creating Secret app-env",
    "app: creating Service app",
  ]);
  assert.equal(lines.at(-2), "app: ready");
  assert.match(lines.at(-1)!, /^done in \d+\.\d s: 1 created, 0 updated, 0 replaced, 0 deleted, 0 unchanged, 1 ready, 0 not ready$/);

  await secret("second-token-value");
  p.write("app.yml", spec("busybox:1.36", "slow", 8080));
  const preview = await p.hpx(["preview", "app.yml", "--diff"], env);
  assert.equal(preview.code, 0, preview.stderr);
  const out = preview.stdout.split("\n");
  const digest = out.findIndex((l) => l.includes("secrets-digest"));
  assert.match(out[digest]!, /^ {9}~ spec\.template\.metadata\.annotations\["hpx\.dev\/secrets-digest"\]: "hmac-sha256:[0-9a-f]{32}" => "hmac-sha256:[0-9a-f]{32}"$/);
  out.splice(digest, 1);
  assert.deepEqual(out, [
    "~  app  update",
    "     Deployment app:",
    '         ~ spec.template.spec.containers[0].env[0].value: "fast" => "slow"',
    '         ~ spec.template.spec.containers[0].image: "busybox" => "busybox:1.36"',
    "         ~ spec.template.spec.containers[0].ports[0].containerPort: 80 => 8080",
    "     Secret app-env:",
    "         ~ data.TOKEN: (secret value changed; value hidden)",
    "     Service app:",
    "         ~ spec.ports[0].port: 80 => 8080",
    "         ~ spec.ports[0].targetPort: 80 => 8080",
    "0 to create, 1 to update, 0 to replace, 0 to delete",
    "",
  ]);
  for (const text of [preview.stdout, preview.stderr]) assert.ok(!/first-token-value|second-token-value/.test(text));
  // Nothing was done: the progress says what would be, never what was.
  const progress = preview.stderr.trimEnd().split("\n");
  assert.deepEqual(progress.slice(0, -1).sort(), ["app: would update Deployment app", "app: would update Secret app-env", "app: would update Service app"]);
  assert.match(progress.at(-1)!, /^previewed in \d+\.\d s: nothing was changed$/);
  assert.equal((await p.apps.readNamespacedDeployment({ name: "app", namespace: p.namespace })).spec!.template.spec!.containers[0]!.image, "busybox");

  // The same diff for machines: values with --json, the secret's withheld.
  const json = JSON.parse((await p.hpx(["preview", "app.yml", "--diff", "--json"], env)).stdout);
  assert.deepEqual(json.changes[0].values["Deployment app"]["spec.template.spec.containers[0].image"], { kind: "update", old: "busybox", new: "busybox:1.36" });
  assert.deepEqual(json.changes[0].values["Secret app-env"], { "data.TOKEN": { kind: "update", secret: true } });

  const second = await merged(p, ["up", "app.yml", "--yes"]);
  assert.equal(second.code, 0, second.log);
  assert.deepEqual(second.log.split("\n").slice(0, 2), ["~  app  update", "0 to create, 1 to update, 0 to replace, 0 to delete"]);
  assert.match(second.log, /\napp: updated Deployment app\n/);
  assert.match(second.log.trimEnd().split("\n").at(-1)!, /^done in \d+\.\d s: 0 created, 1 updated, 0 replaced, 0 deleted, 0 unchanged, 1 ready, 0 not ready$/);
  assert.ok(!/first-token-value|second-token-value/.test(second.log));

  const gone = await merged(p, ["destroy", "--yes"]);
  assert.equal(gone.code, 0, gone.log);
});
