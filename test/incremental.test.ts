import assert from "node:assert/strict";
import { test } from "vitest";
import { APPLIED_ANNOTATION } from "../src/components/marked-objects.ts";
import { PART_OF_LABEL } from "../src/components/stack-mark.ts";
import { project } from "./harness/project.ts";

const file = (images: Record<string, string>) =>
  "processes:\n" + Object.entries(images).map(([name, image]) => `  - process_name: ${name}\n    container: {image_uri: "${image}", ports: [{container_port: 80}]}\n`).join("");

test("runs narrow to what changes: no engine when nothing does, one process targeted when one does, and a removed one deleted", async () => {
  const p = await project("narrow");
  p.write("three.yml", file({ a: "nginx:1", b: "nginx:1", c: "nginx:1" }));
  const first = await p.hpx(["up", "three.yml", "--yes", "--verbose"]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /\[hpx\] engine: 3 process\(es\) to apply, 9 URN\(s\) targeted/, "a new stack records nothing: everything changes");

  const noop = await p.hpx(["preview", "three.yml", "--expect-no-changes", "--verbose"]);
  assert.equal(noop.code, 0, noop.stderr);
  assert.match(noop.stderr, /\[hpx\] the cluster holds the file as the state records it: the engine is not started/);
  const noopUp = await p.hpx(["up", "three.yml", "--yes", "--verbose"]);
  assert.equal(noopUp.code, 0, noopUp.stderr);
  assert.match(noopUp.stdout, /no changes: the cluster already matches/);

  p.write("three.yml", file({ a: "nginx:1", b: "nginx:2", c: "nginx:1" }));
  const preview = await p.hpx(["preview", "three.yml", "--json"]);
  assert.equal(preview.code, 0, preview.stderr);
  assert.deepEqual(
    (JSON.parse(preview.stdout) as { changes: { process: string; change: string }[] }).changes.map((c) => [c.process, c.change]),
    [["a", "same"], ["b", "update"], ["c", "same"]],
  );
  const one = await p.hpx(["up", "three.yml", "--yes", "--verbose"]);
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stderr, /\[hpx\] engine: 1 process\(es\) to apply, 3 URN\(s\) targeted/);
  const images = async () =>
    Object.fromEntries((await p.apps.listNamespacedDeployment({ namespace: p.namespace })).items.map((d) => [d.metadata!.name!, d.spec!.template.spec!.containers[0]!.image]));
  assert.deepEqual(await images(), { a: "nginx:1", b: "nginx:2", c: "nginx:1" });
  // The outputs a targeted update wrote describe every process: the next preview is a no-op.
  assert.equal((await p.hpx(["preview", "three.yml", "--expect-no-changes"])).code, 0);

  p.write("two.yml", file({ a: "nginx:1", b: "nginx:2" }));
  const removed = await p.hpx(["up", "two.yml", "--yes", "--verbose"]);
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(removed.stderr, /\[hpx\] engine: 0 process\(es\) to apply, 3 URN\(s\) targeted/);
  assert.deepEqual((await p.hpxObjects()).filter((o) => !o.startsWith("Pod/") && !o.startsWith("ReplicaSet/")), ["Deployment/a", "Deployment/b", "Service/a", "Service/b"]);
  assert.equal((await p.hpx(["preview", "two.yml", "--expect-no-changes"])).code, 0);
  assert.equal((await p.hpx(["destroy", "--yes"])).code, 0);
  assert.deepEqual(await p.hpxObjects(), []);
});

test("objects an interrupted run changed or deleted are found by their digests and applied again; unknown ones of the stack are deleted, others' left", async () => {
  const p = await project("stale");
  p.write("two.yml", file({ a: "nginx:1", b: "nginx:1" }));
  assert.equal((await p.hpx(["up", "two.yml", "--yes"])).code, 0);
  // What an up killed after applying, before its checkpoint, leaves: another image and
  // digest on a, b's Service gone, and a Deployment of a process the file never had.
  await p.kubectl(["patch", "deployment", "a", "--type=merge", "-p", JSON.stringify({ metadata: { annotations: { [APPLIED_ANNOTATION]: "hmac-sha256:killed" } }, spec: { template: { spec: { containers: [{ name: "a", image: "nginx:9" }] } } } })]);
  await p.kubectl(["delete", "service", "b"]);
  const partOf = (await p.apps.readNamespacedDeployment({ name: "a", namespace: p.namespace })).metadata!.labels![PART_OF_LABEL]!;
  await p.kubectl(["create", "deployment", "gone", "--image=nginx:1"]);
  await p.kubectl(["label", "deployment", "gone", `${PART_OF_LABEL}=${partOf}`]);
  // Only named after the stack (an older hpx's mark, another backend's stack perhaps): not this stack's.
  await p.kubectl(["create", "deployment", "named", "--image=nginx:1"]);
  await p.kubectl(["annotate", "deployment", "named", "hpx.dev/stack=stale"]);

  const preview = await p.hpx(["preview", "two.yml", "--diff", "--json"]);
  assert.equal(preview.code, 0, preview.stderr);
  assert.deepEqual(
    (JSON.parse(preview.stdout) as { changes: { process: string; change: string; fields: Record<string, string[]> }[] }).changes,
    [
      { process: "a", change: "update", fields: { "Deployment a": ["(not as the state recorded it: applied again)"] } },
      { process: "b", change: "update", fields: { "Service b": ["(not as the state recorded it: applied again)"] } },
      { process: "gone", change: "delete", fields: {} },
    ],
  );
  const up = await p.hpx(["up", "two.yml", "--yes", "--verbose"]);
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stderr, /\[hpx\] state: forgot 6 resource\(s\) of 2 process\(es\) the cluster does not hold as recorded; they are applied again/);
  assert.match(up.stderr, /\[hpx\] deleted 1 object\(s\) of this stack that neither the state nor the file knows: Deployment\/gone/);
  assert.deepEqual((await p.apps.listNamespacedDeployment({ namespace: p.namespace })).items.map((d) => d.metadata!.name).sort(), ["a", "b", "named"]);
  const a = await p.apps.readNamespacedDeployment({ name: "a", namespace: p.namespace });
  assert.equal(a.spec!.template.spec!.containers[0]!.image, "nginx:1");
  assert.equal((await p.core.readNamespacedService({ name: "b", namespace: p.namespace })).metadata!.name, "b");
  assert.equal((await p.hpx(["preview", "two.yml", "--expect-no-changes"])).code, 0);
  assert.equal((await p.hpx(["destroy", "--yes"])).code, 0);
  assert.deepEqual((await p.apps.listNamespacedDeployment({ namespace: p.namespace })).items.map((d) => d.metadata!.name), ["named"]);
});
