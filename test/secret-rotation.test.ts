import assert from "node:assert/strict";
import { test } from "vitest";
import { harnessEnv } from "./harness/env.ts";
import { project } from "./harness/project.ts";

test("a changed secret value: preview shows the process changing without any value, up rolls its pod", async () => {
  const p = await project("rotation");
  p.write(`stacks/${p.stack}.yml`, `secret_store: {secret_store_type: env}\nbackend: ${harnessEnv().backendUrl}\nruntime: {runtime_type: local, namespace: ${p.namespace}}\n`);
  p.write("rot.yml", "process_name: rot\ncontainer:\n  image_uri: nginxdemos/hello\n  env: [{name: TOKEN, value: {secret_name: api}}]\n");
  const [first, second] = ["first-value-Zq81x", "second-value-Pw27k"];
  assert.equal((await p.hpx(["up", "rot.yml", "--yes"], { HPX_SECRET_API: first })).code, 0);
  const pod = async () => (await p.core.listNamespacedPod({ namespace: p.namespace, labelSelector: "hydroplane/process-id=rot" })).items.filter((x) => !x.metadata?.deletionTimestamp);
  const before = (await pod())[0]!.metadata!.uid;
  assert.equal((await p.hpx(["preview", "rot.yml", "--expect-no-changes"], { HPX_SECRET_API: first })).code, 0, "same value, no change");

  const preview = await p.hpx(["preview", "rot.yml", "--diff", "--expect-no-changes"], { HPX_SECRET_API: second });
  assert.equal(preview.code, 3);
  const lines = preview.stdout.split("\n");
  assert.match(lines[2]!, /^ {9}~ spec\.template\.metadata\.annotations\["hpx\.dev\/secrets-digest"\]: "hmac-sha256:[0-9a-f]{32}" => "hmac-sha256:[0-9a-f]{32}"$/);
  assert.deepEqual([...lines.slice(0, 2), ...lines.slice(3)], [
    "~  rot  update",
    "     Deployment rot:",
    "     Secret rot-env:",
    "         ~ data.TOKEN: (secret value changed; value hidden)",
    "0 to create, 1 to update, 0 to replace, 0 to delete",
    "",
  ]);
  for (const value of [first, second]) assert.ok(!(preview.stdout + preview.stderr).includes(value), `the preview shows ${value}`);

  const up = await p.hpx(["up", "rot.yml", "--yes"], { HPX_SECRET_API: second });
  assert.equal(up.code, 0, up.stderr);
  for (const value of [first, second]) assert.ok(!(up.stdout + up.stderr).includes(value), `up shows ${value}`);
  const after = await pod();
  assert.equal(after.length, 1);
  assert.notEqual(after[0]!.metadata!.uid, before, "the pod was replaced");
  const secret = await p.core.readNamespacedSecret({ name: "rot-env", namespace: p.namespace });
  assert.equal(Buffer.from(secret.data!.TOKEN!, "base64").toString(), second);
  assert.equal((await p.hpx(["destroy", "--yes"], { HPX_SECRET_API: second })).code, 0);
});
