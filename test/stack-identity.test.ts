import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "vitest";
import { recordedStackId } from "../src/automation/recorded-identity.ts";
import { PART_OF_LABEL, stackMark } from "../src/components/stack-mark.ts";
import { repoRoot } from "../src/toolchain.ts";
import { hpx, runBinary, type CliResult } from "./harness/cli.ts";
import { harnessEnv, testDir } from "./harness/env.ts";
import { adminConfig, project } from "./harness/project.ts";
import { AppsV1Api, CoreV1Api } from "@kubernetes/client-node";

const apps = adminConfig().makeApiClient(AppsV1Api);
const core = adminConfig().makeApiClient(CoreV1Api);

const spec = (name: string, image: string): string => `  - process_name: ${name}\n    container: {image_uri: "${image}", ports: [{container_port: 80}]}\n`;
const file = (...specs: string[]): string => "processes:\n" + specs.join("");

/** A team's directory: its own state (a file backend), the shared cluster through a kubeconfig stack named `shared`. */
function team(name: string, namespace: string): { dir: string; state: string; hpx: (args: string[]) => Promise<CliResult>; write: (f: string, t: string) => void } {
  const dir = testDir(`team-${name}`);
  const state = `file://${join(dir, "state")}`;
  mkdirSync(join(dir, "stacks"));
  writeFileSync(join(dir, "stacks", "shared.yml"), `backend: ${state}\nruntime: {runtime_type: kubeconfig, kubeconfig: ${harnessEnv().kubeconfig}, namespace: ${namespace}}\n`);
  return { dir, state, hpx: (args) => hpx([...args, "-s", "shared"], { CI: "true" }, dir), write: (f, t) => writeFileSync(join(dir, f), t) };
}

/** Every Deployment, Service and Secret of a namespace, `Kind/name`, sorted. */
async function objects(namespace: string, labelSelector?: string): Promise<string[]> {
  const [d, s, sec] = await Promise.all([
    apps.listNamespacedDeployment({ namespace, labelSelector }),
    core.listNamespacedService({ namespace, labelSelector }),
    core.listNamespacedSecret({ namespace, labelSelector }),
  ]);
  return [...d.items.map((o) => `Deployment/${o.metadata!.name}`), ...s.items.map((o) => `Service/${o.metadata!.name}`), ...sec.items.map((o) => `Secret/${o.metadata!.name}`)].sort();
}

test("two stacks named shared on two backends: the second is refused before any change, naming the object and its owner; each destroy removes only its own", async () => {
  const namespace = "team";
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  const a = team("a", namespace);
  const b = team("b", namespace);
  a.write("api.yml", file(spec("api", "example/team-a:1")));
  b.write("api.yml", file(spec("api", "example/team-b:1"), spec("worker", "example/team-b-worker:1")));
  b.write("worker.yml", file(spec("worker", "example/team-b-worker:1")));

  const up = await a.hpx(["up", "api.yml", "--yes"]);
  assert.equal(up.code, 0, up.stderr);
  const before = (await apps.readNamespacedDeployment({ name: "api", namespace })).metadata!;
  const idA = (await recordedStackId("shared", a.state))!;
  const markA = stackMark("shared", idA, namespace);
  assert.equal(before.labels![PART_OF_LABEL], markA.applySetId);

  const owner = `Deployment/api (uid ${before.uid}) belongs to hpx stack shared whose state is at ${a.state} (ApplySet ${markA.applySetId})`;
  const serviceUid = (await core.readNamespacedService({ name: "api", namespace })).metadata!.uid;
  const refusal = (stderr: string) =>
    assert.deepEqual(stderr.trimEnd().split("\n"), [
      `hpx: stack shared would take over 2 objects it did not create in namespace ${namespace}: Deployment/api, Service/api`,
      `  ${owner}`,
      `  Service/api (uid ${serviceUid}) belongs to hpx stack shared whose state is at ${a.state} (ApplySet ${markA.applySetId})`,
      "  nothing was changed; rename the process, or remove the object if it is not needed",
    ]);
  const preview = await b.hpx(["preview", "api.yml"]);
  assert.equal(preview.code, 1, preview.stderr);
  refusal(preview.stderr);
  const refused = await b.hpx(["up", "api.yml", "--yes"]);
  assert.equal(refused.code, 1, refused.stderr);
  refusal(refused.stderr);
  assert.deepEqual(await objects(namespace), ["Deployment/api", "Service/api"], "team b's refused up created nothing (not even worker)");

  const after = (await apps.readNamespacedDeployment({ name: "api", namespace }));
  assert.deepEqual(
    [after.metadata!.uid, after.metadata!.generation, after.spec!.template.spec!.containers[0]!.image],
    [before.uid, before.generation, "example/team-a:1"],
  );
  assert.equal((await a.hpx(["preview", "api.yml", "--expect-no-changes"])).code, 0, "team a sees no change");

  // Team b's own process lives beside team a's; each destroy removes only its own.
  assert.equal((await b.hpx(["up", "worker.yml", "--yes"])).code, 0);
  assert.deepEqual(await objects(namespace), ["Deployment/api", "Deployment/worker", "Service/api", "Service/worker"]);
  const destroyA = await a.hpx(["destroy", "--yes"]);
  assert.equal(destroyA.code, 0, destroyA.stderr);
  assert.equal(destroyA.stdout, "destroyed 1 process(es) of stack shared\n");
  assert.deepEqual(await objects(namespace), ["Deployment/worker", "Service/worker"]);
  const lsB = await b.hpx(["ls", "-o", "json"]);
  assert.deepEqual(JSON.parse(lsB.stdout).map((p: { process_name: string }) => p.process_name), ["worker"]);
  assert.equal((await b.hpx(["destroy", "--yes"])).code, 0);
  assert.deepEqual(await objects(namespace), []);
  // The ApplySet parents went with their stacks' last objects.
  assert.deepEqual((await core.listNamespacedConfigMap({ namespace, labelSelector: "applyset.kubernetes.io/id" })).items, []);
  await core.deleteNamespace({ name: namespace });
});

test("a stack deleted and created again under the same name does not adopt the old stack's objects", async () => {
  const p = await project("recreated");
  p.write("one.yml", file(spec("solo", "nginxdemos/hello")));
  assert.equal((await p.hpx(["up", "one.yml", "--yes"])).code, 0);
  const old = (await recordedStackId(p.stack, harnessEnv().backendUrl))!;
  const uid = (await p.apps.readNamespacedDeployment({ name: "solo", namespace: p.namespace })).metadata!.uid;
  // What `pulumi stack rm --force` does on a file backend: the stack's checkpoint is gone.
  const stacks = join(harnessEnv().backendUrl.slice("file://".length), ".pulumi", "stacks", "hpx");
  for (const f of readdirSync(stacks).filter((f) => f.startsWith(`${p.stack}.json`))) rmSync(join(stacks, f));

  const again = await p.hpx(["up", "one.yml", "--yes"]);
  assert.equal(again.code, 1, again.stderr);
  const id = (await recordedStackId(p.stack, harnessEnv().backendUrl))!;
  assert.notEqual(id, old, "a new stack gets a new identity");
  const lines = again.stderr.trimEnd().split("\n");
  assert.equal(lines[0], `hpx: stack ${p.stack} would take over 2 objects it did not create in namespace ${p.namespace}: Deployment/solo, Service/solo`);
  assert.equal(lines[1], `  Deployment/solo (uid ${uid}) belongs to hpx stack ${p.stack} whose state is at ${harnessEnv().backendUrl} (ApplySet ${stackMark(p.stack, old, p.namespace).applySetId})`);
  assert.equal((await p.apps.readNamespacedDeployment({ name: "solo", namespace: p.namespace })).metadata!.uid, uid);
  const ls = await p.hpx(["ls", "-o", "json"]);
  assert.deepEqual(JSON.parse(ls.stdout), [], "the new stack lists none of the old one's processes");
  await core.deleteNamespace({ name: p.namespace });
});

/** hpx as it was on main before stack identities (name-only marks), from this repository's history. */
const LAST_NAME_ONLY_MAIN = "167cca8";
function oldHpx(): string {
  // Its sources and tools, beside this checkout's npm packages (package-lock.json is the same).
  const dir = testDir("old-hpx");
  const tar = execFileSync("git", ["-C", repoRoot, "archive", LAST_NAME_ONLY_MAIN, "bin", "src", "toolchain", "package.json", "tsconfig.json"]);
  execFileSync("tar", ["-x", "-C", dir], { input: tar });
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"));
  return join(dir, "bin", "hpx");
}

/**
 * The old hpx's bin wants the toolchain's Node.js of its day (24.9.0), which a fresh
 * machine never built: it runs on the Node.js running these tests, as HPX_NODE lets it.
 */
const OLD_HPX_ENV = { CI: "true", HPX_NODE: process.execPath };

test("a stack written by the previous hpx (name-only marks) converges: its own objects are marked anew with their uids, nothing else is adopted", async () => {
  const p = await project("upgrade");
  const old = oldHpx();
  p.write("two.yml", file(spec("web", "nginxdemos/hello"), spec("db", "busybox")));
  const first = await runBinary(old, ["up", "two.yml", "--yes", "-s", p.stack], OLD_HPX_ENV, p.dir);
  assert.equal(first.code, 0, first.stderr);
  // Another same-named stack (another backend) of the old hpx, in the same namespace: `stray` has the same name-only mark.
  const other = join(p.dir, "other");
  mkdirSync(join(other, "stacks"), { recursive: true });
  writeFileSync(join(other, "stacks", `${p.stack}.yml`), `backend: file://${join(other, "state")}\nruntime: {runtime_type: local, namespace: ${p.namespace}}\n`);
  writeFileSync(join(other, "stray.yml"), file(spec("stray", "busybox")));
  const otherUp = await runBinary(old, ["up", "stray.yml", "--yes", "-s", p.stack], OLD_HPX_ENV, other);
  assert.equal(otherUp.code, 0, otherUp.stderr);
  const uids = async () => Object.fromEntries(await Promise.all(["web", "db", "stray"].map(async (n) => [n, (await p.apps.readNamespacedDeployment({ name: n, namespace: p.namespace })).metadata!.uid])));
  const before = await uids();
  assert.equal(await recordedStackId(p.stack, harnessEnv().backendUrl), undefined, "the old hpx recorded no identity");

  // The new hpx refuses the other stack's `stray` (its state does not record it)...
  p.write("three.yml", file(spec("web", "nginxdemos/hello"), spec("db", "busybox"), spec("stray", "busybox")));
  const take = await p.hpx(["up", "three.yml", "--yes"], { CI: "true" });
  assert.equal(take.code, 1, take.stderr);
  assert.match(take.stderr, new RegExp(`^  Deployment/stray \\(uid ${before.stray}\\) carries an older hpx's mark of a stack named ${p.stack}, and this stack's state does not record it$`, "m"));
  // ...and marks its own anew, same uids.
  const up = await p.hpx(["up", "two.yml", "--yes"], { CI: "true" });
  assert.equal(up.code, 0, up.stderr);
  const id = (await recordedStackId(p.stack, harnessEnv().backendUrl))!;
  const { applySetId } = stackMark(p.stack, id, p.namespace);
  assert.deepEqual(await uids(), before);
  assert.deepEqual(await objects(p.namespace, `${PART_OF_LABEL}=${applySetId}`), ["Deployment/db", "Deployment/web", "Service/db", "Service/web"]);
  assert.equal((await p.hpx(["preview", "two.yml", "--refresh", "--expect-no-changes"], { CI: "true" })).code, 0);
  const ls = await p.hpx(["ls", "-o", "json"]);
  assert.deepEqual(JSON.parse(ls.stdout).map((x: { process_name: string }) => x.process_name), ["db", "web"]);
  const destroyed = await p.hpx(["destroy", "--yes"], { CI: "true" });
  assert.equal(destroyed.code, 0, destroyed.stderr);
  assert.deepEqual(await objects(p.namespace), ["Deployment/stray", "Service/stray"], "the other stack's objects stay");
  await core.deleteNamespace({ name: p.namespace });
});
