import assert from "node:assert/strict";
import { beforeAll, test } from "vitest";
import { project, type Project } from "./harness/project.ts";

// What a real provider brings and hpx settles around it, on the local cluster:
// drift, ownership, readiness with reasons, deletion that waits.
let p: Project;
beforeAll(async () => {
  p = await project("behaviours");
});

const API = `processes:
  - process_name: api
    container:
      image_uri: nginxdemos/hello
      ports: [{container_port: 8080}]
`;

test("drift: a hand-made change shows in preview --refresh and up --refresh repairs it; a deleted object is recreated", async () => {
  p.write("api.yml", API);
  const up = await p.hpx(["up", "api.yml", "--yes"]);
  assert.equal(up.code, 0, up.stderr);
  const before = await p.apps.readNamespacedDeployment({ name: "api", namespace: p.namespace });
  assert.deepEqual(before.metadata?.managedFields?.map((f) => f.manager).filter((m) => m !== "kube-controller-manager"), ["hpx"]);

  await p.kubectl(["set", "image", "deployment/api", "*=evil/image:6.6.6"]);
  const drift = await p.hpx(["preview", "api.yml", "--refresh", "--diff", "--expect-no-changes"]);
  assert.equal(drift.code, 3, drift.stdout + drift.stderr);
  assert.equal(
    drift.stdout,
    // The old value is the cluster's (the refreshed state), the new one the file's.
    '~  api  update\n     Deployment api:\n         ~ spec.template.spec.containers[0].image: "evil/image:6.6.6" => "nginxdemos/hello"\n0 to create, 1 to update, 0 to replace, 0 to delete\n',
  );

  const repair = await p.hpx(["up", "api.yml", "--refresh", "--yes"]);
  assert.equal(repair.code, 0, repair.stderr);
  const after = await p.apps.readNamespacedDeployment({ name: "api", namespace: p.namespace });
  assert.equal(after.metadata?.uid, before.metadata?.uid);
  assert.equal(after.spec?.template.spec?.containers[0]?.image, "nginxdemos/hello");
  assert.equal((await p.hpx(["preview", "api.yml", "--refresh", "--expect-no-changes"])).code, 0);

  await p.kubectl(["delete", "service", "api"]);
  const recreate = await p.hpx(["up", "api.yml", "--refresh", "--yes", "--json"]);
  assert.equal(recreate.code, 0, recreate.stderr);
  assert.deepEqual(JSON.parse(recreate.stdout).changes, [{ process: "api", change: "update", fields: { "Service api": ["(added)"] } }]);
  assert.equal((await p.core.readNamespacedService({ name: "api", namespace: p.namespace })).spec?.ports?.[0]?.port, 8080);
});

test("never take over: a same-named Deployment made with kubectl makes up fail and stays untouched; once removed, up converges", async () => {
  await p.kubectl(["create", "deployment", "squatter", "--image=nginx"]);
  const theirs = await p.apps.readNamespacedDeployment({ name: "squatter", namespace: p.namespace });
  p.write("squat.yml", API + "  - process_name: squatter\n    container: {image_uri: nginxdemos/hello}\n");
  const refused = await p.hpx(["up", "squat.yml", "--yes"]);
  assert.equal(refused.code, 1, refused.stderr);
  assert.equal(
    refused.stderr,
    [
      "hpx: stack behaviours would take over an object it did not create in namespace behaviours: Deployment/squatter",
      `  Deployment/squatter (uid ${theirs.metadata?.uid}) not created by hpx`,
      "  nothing was changed; rename the process, or remove the object if it is not needed",
      "",
    ].join("\n"),
  );
  const still = await p.apps.readNamespacedDeployment({ name: "squatter", namespace: p.namespace });
  assert.equal(still.metadata?.uid, theirs.metadata?.uid);
  // The Deployment controller keeps updating its status; its spec and managers are what hpx must not touch.
  assert.equal(still.metadata?.generation, theirs.metadata?.generation);
  assert.ok(!(still.metadata?.managedFields ?? []).some((f) => f.manager === "hpx"), "hpx applied nothing to it");
  assert.equal(still.spec?.template.spec?.containers[0]?.image, "nginx");
  assert.equal((await p.hpx(["preview", "squat.yml"])).code, 1, "preview refuses too");

  await p.kubectl(["delete", "deployment", "squatter", "--wait=true"]);
  const converged = await p.hpx(["up", "squat.yml", "--yes"]);
  assert.equal(converged.code, 0, converged.stderr);
  const ls = JSON.parse((await p.hpx(["ls", "-o", "json"])).stdout) as { process_name: string; status: string }[];
  assert.deepEqual(ls.map((x) => [x.process_name, x.status]), [["api", "RUNNING"], ["squatter", "RUNNING"]]);
});

test("readiness: processes that cannot start (no node fits; a crash loop, by a kwok Stage) fail up within --timeout with their reasons, the others start", async () => {
  p.write(
    "mixed.yml",
    `${API}  - process_name: crasher
    container: {image_uri: registry.invalid/hpx-test/crash-loop}
  - process_name: nowhere
    container:
      image_uri: nginxdemos/hello
      node_selector: {disktype: ssd}
`,
  );
  const t0 = Date.now();
  const up = await p.hpx(["up", "mixed.yml", "--yes", "--timeout", "15s"]);
  const took = Date.now() - t0;
  assert.equal(up.code, 1, up.stderr);
  const tail = up.stderr.slice(up.stderr.indexOf("hpx: ")).split("\n");
  assert.equal(tail[0], "hpx: 2 process(es) of stack behaviours did not become ready within 15s");
  assert.match(tail[1]!, /^ {2}crasher: crash loop: restarted \d+ time\(s\)$/);
  assert.match(tail[2]!, /^ {2}nowhere: unschedulable: 0\/3 nodes are available: 3 node\(s\) didn't match Pod's node affinity\/selector/);
  assert.equal(tail[3], "  they stay in the stack: fix the spec and run hpx up again, or remove them with hpx stop / hpx destroy");
  assert.ok(took >= 15_000 && took < 60_000, `up took ${took} ms`);
  // api was unchanged and ready at the first look: off a terminal it has no line of its own, the closing line counts it.
  assert.match(up.stderr, /^done in \d+\.\d s: 2 created, 0 updated, 0 replaced, 1 deleted, 1 unchanged, 1 ready, 2 not ready$/m);
  assert.doesNotMatch(up.stderr, /^api: /m);

  const ls = JSON.parse((await p.hpx(["ls", "-o", "json"])).stdout) as { process_name: string; status: string; reason?: string }[];
  assert.deepEqual(
    ls.map((x) => [x.process_name, x.status, x.reason?.split(":")[0]]),
    [
      ["api", "RUNNING", undefined],
      ["crasher", "STARTING", "crash loop"],
      ["nowhere", "STARTING", "unschedulable"],
    ],
  );

  const fast = await p.hpx(["up", "mixed.yml", "--yes", "--no-wait"]);
  assert.equal(fast.code, 0, "--no-wait does not wait for the stuck processes");
  assert.doesNotMatch(fast.stderr, /: (ready|waiting)/);
});

test("destroy waits until the objects are gone: nothing labelled by hpx is left, pods included", async () => {
  const destroyed = await p.hpx(["destroy", "--yes"]);
  assert.equal(destroyed.code, 0, destroyed.stderr);
  assert.equal(destroyed.stdout, "destroyed 3 process(es) of stack behaviours\n");
  assert.deepEqual(await p.hpxObjects(), []);
});
