/**
 * Shards on the real engine and cluster: a stack of 12 processes kept in 4 Pulumi stacks
 * (HPX_SHARD_SIZE=4 stands for the 100 of a real fleet), and a stack written by the hpx
 * before shards, split by the next up without touching an object.
 */
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { test } from "vitest";
import { shardOf } from "../src/automation/shard-layout.ts";
import { repoRoot, toolchain } from "../src/toolchain.ts";
import { runBinary } from "./harness/cli.ts";
import { harnessEnv, testDir } from "./harness/env.ts";
import { project, type Project } from "./harness/project.ts";
import { until } from "./harness/until.ts";

// Two engines at once whatever the machine, so the kill lands while shards run side by side.
const SMALL_SHARDS = { HPX_SHARD_SIZE: "4", HPX_SHARD_PARALLEL: "2" };

const file = (names: readonly string[], image = (_: string) => "nginxdemos/hello") =>
  "processes:\n" + names.map((n) => `  - process_name: ${n}\n    container: {image_uri: "${image(n)}", ports: [{container_port: 80}]}\n`).join("");
const twelve = Array.from({ length: 12 }, (_, i) => `p${String(i).padStart(2, "0")}`);

const stacksDir = () => join(harnessEnv().backendUrl.slice("file://".length), ".pulumi", "stacks", "hpx");
const checkpoint = (stack: string) => join(stacksDir(), `${stack}.json`);
const digestOf = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const shardFiles = (stack: string) => readdirSync(stacksDir()).filter((f) => f.startsWith(`${stack}.hpx-shard-`) && f.endsWith(".json")).sort();
/** The latest deployment in a stack's checkpoint. */
const latest = (stack: string) => (JSON.parse(readFileSync(checkpoint(stack), "utf8")) as { checkpoint: { latest: { resources: { type: string; outputs?: Record<string, unknown> }[]; secrets_providers?: unknown } } }).checkpoint.latest;
const secretsOf = (stack: string) => latest(stack).secrets_providers;
const rootResources = (stack: string) => latest(stack).resources;

/** The stacks the toolchain's Pulumi CLI lists in the harness's backend. */
function cliStacks(): string[] {
  const env = { ...process.env, PULUMI_BACKEND_URL: harnessEnv().backendUrl, PULUMI_HOME: testDir("pulumi-stack-ls"), PULUMI_SKIP_UPDATE_CHECK: "true" };
  const out = execFileSync(join(toolchain().pulumiBinDir, "pulumi"), ["stack", "ls", "--all", "--json", "--non-interactive"], { env, cwd: testDir("pulumi-stack-ls-cwd"), encoding: "utf8" });
  return (JSON.parse(out) as { name: string }[]).map((s) => s.name).sort();
}

/** Every Deployment's and Service's uid, by `Kind/name`. */
async function uids(p: Project): Promise<Record<string, string>> {
  const [d, s] = await Promise.all([p.apps.listNamespacedDeployment({ namespace: p.namespace }), p.core.listNamespacedService({ namespace: p.namespace })]);
  return Object.fromEntries([...d.items.map((o) => [`Deployment/${o.metadata!.name}`, o.metadata!.uid!]), ...s.items.map((o) => [`Service/${o.metadata!.name}`, o.metadata!.uid!])]);
}

/** A ValidatingAdmissionPolicy (CEL, no webhook) refusing every update of one Deployment in a namespace. */
const freezePolicy = (name: string, namespace: string) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: hpx-test-freeze-${name}}
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [UPDATE], resources: [deployments]}]
  validations: [{expression: "object.metadata.name != '${name}'", message: "${name} is frozen by the test"}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: hpx-test-freeze-${name}}
spec:
  policyName: hpx-test-freeze-${name}
  validationActions: [Deny]
  matchResources: {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ${namespace}}}}
`;

async function images(p: Project): Promise<string[]> {
  const d = await p.apps.listNamespacedDeployment({ namespace: p.namespace });
  return d.items.map((o) => `${o.metadata!.name}=${o.spec!.template.spec!.containers[0]!.image}`).sort();
}

test("a stack of 3 processes is one Pulumi stack; at 12 it is split into 4 shards: a one-process change runs one shard, kill -9 mid-way through a multi-shard up then converge, growth doubles the shards, a shard's failure names it and the other shard finishes, destroy leaves nothing", async () => {
  const p = await project("shards");
  // Three processes fit in one shard: the stack is one Pulumi stack, as before shards.
  p.write("three.yml", file(twelve.slice(0, 3)));
  const small = await p.hpx(["up", "three.yml", "--yes", "--verbose"], SMALL_SHARDS);
  assert.equal(small.code, 0, small.stderr);
  assert.doesNotMatch(small.stderr, /^\[hpx\] shards:/m);
  assert.deepEqual(shardFiles(p.stack), []);
  assert.equal(rootResources(p.stack).filter((r) => r.type === "hpx:index:HydroProcess").length, 3);
  const three = await uids(p);

  // Twelve do not: the next up splits the stack into 4 shards, the three by state moves.
  p.write("twelve.yml", file(twelve));
  const up = await p.hpx(["up", "twelve.yml", "--yes", "--verbose"], SMALL_SHARDS);
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stderr, /^\[hpx\] shards: stack shards has 4 shard\(s\) \(was 0\) for 12 process\(es\)$/m);
  assert.match(up.stderr, /^\[hpx\] shards: stack shards is split into 4 shard\(s\) \(shards\.hpx-shard-0 …\); no object was changed$/m);
  // Only the shards of the nine new processes run: the three moved ones are unchanged.
  const added = [...new Set(twelve.slice(3).map((n) => shardOf(n, 4)))].sort();
  assert.match(up.stderr, new RegExp(`^\\[hpx\\] shards: running ${added.length} shard\\(s\\) \\(${added.join(", ")}\\), 2 at a time$`, "m"));
  assert.match(up.stderr, /9 created, 0 updated, 0 replaced, 0 deleted, 3 unchanged, 12 ready, 0 not ready$/m);
  assert.deepEqual(shardFiles(p.stack), [0, 1, 2, 3].map((k) => `shards.hpx-shard-${k}.json`));
  assert.deepEqual(rootResources(p.stack).map((r) => r.type), ["pulumi:pulumi:Stack"], "the root records, the shards hold");
  // Each shard was created with its root's secrets provider (file-stack-create.ts), and its updates kept it.
  for (const s of [0, 1, 2, 3]) assert.deepEqual(secretsOf(`shards.hpx-shard-${s}`), secretsOf(p.stack));
  const ls = JSON.parse((await p.hpx(["ls", "-o", "json"], SMALL_SHARDS)).stdout) as { process_name: string }[];
  assert.deepEqual(ls.map((x) => x.process_name), twelve);
  const before = await uids(p);
  for (const [key, uid] of Object.entries(three)) assert.equal(before[key], uid, `${key} kept its uid through the split`);

  // One process changes: only its shard's engine runs, and only its state is written. The
  // root's record does not change, so hpx holds the root's lock itself (no engine run for
  // it), and a lock another run holds on the root (here one this test writes, as a
  // Pulumi CLI would) refuses the change before anything is applied.
  const k = shardOf("p05", 4);
  const states = Object.fromEntries([0, 1, 2, 3].map((s) => [s, digestOf(checkpoint(`shards.hpx-shard-${s}`))]));
  const rootState = digestOf(checkpoint("shards"));
  p.write("one.yml", file(twelve, (n) => (n === "p05" ? "nginxdemos/hello:0.4" : "nginxdemos/hello")));
  const lockDir = join(stacksDir(), "..", "..", "locks", "organization", "hpx", "shards");
  mkdirSync(lockDir, { recursive: true });
  const held = join(lockDir, "held-by-the-test.json");
  writeFileSync(held, JSON.stringify({ pid: process.pid, username: "test", hostname: hostname(), timestamp: "2026-12-03T09:00:00Z" }));
  const refused = await p.hpx(["up", "one.yml", "--yes"], SMALL_SHARDS);
  rmSync(held);
  assert.equal(refused.code, 1, refused.stderr);
  assert.deepEqual(refused.stderr.split("\n").slice(0, 2), [
    "hpx: stack shards is locked by another update",
    `  held by test@${hostname()} (pid ${process.pid}, still running) since 2026-12-03T09:00:00Z`,
  ]);
  for (const s of [0, 1, 2, 3]) assert.equal(digestOf(checkpoint(`shards.hpx-shard-${s}`)), states[s], `shard ${s}'s state untouched while locked`);
  const one = await p.hpx(["up", "one.yml", "--yes", "--verbose"], SMALL_SHARDS);
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stderr, /^\[hpx\] root: shards locked by hpx, its record unchanged \(no engine run for it\)$/m);
  // No run wrote the state between the look and the lock: the targets are not checked by a second listing.
  assert.match(one.stderr, /^\[hpx\] state: no other run wrote stack shards between the look and the update; the targets stand$/m);
  assert.match(one.stderr, new RegExp(`^\\[hpx\\] shards: running 1 shard\\(s\\) \\(${k}\\), 2 at a time$`, "m"));
  assert.match(one.stderr, /0 created, 1 updated, 0 replaced, 0 deleted, 11 unchanged, 12 ready, 0 not ready$/m);
  // Off a terminal, only the changed process's rollout has a line; the closing line counts the rest.
  assert.deepEqual(one.stderr.match(/^\S+: ready$/gm), ["p05: ready"]);
  for (const s of [0, 1, 2, 3]) assert.equal(digestOf(checkpoint(`shards.hpx-shard-${s}`)) !== states[s], s === k, `shard ${s}'s state written: ${s === k}`);
  assert.equal(digestOf(checkpoint("shards")), rootState, "the root's state is not written");
  assert.deepEqual(readdirSync(lockDir), [], "no lock is left");

  // Every process changes (every shard runs); the whole process group is killed as soon as one Deployment has its new image.
  p.write("all.yml", file(twelve, () => "nginxdemos/hello:0.3"));
  const child = spawn(join(repoRoot, "bin", "hpx"), ["up", "all.yml", "--yes", "-s", p.stack], { cwd: p.dir, detached: true, stdio: "ignore", env: { ...process.env, ...SMALL_SHARDS } });
  let changed = 0;
  for (let i = 0; i < 1200 && changed === 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    changed = (await images(p)).filter((x) => x.endsWith("=nginxdemos/hello:0.3")).length;
  }
  assert.ok(changed >= 1, "no Deployment changed within a minute");
  process.kill(-child.pid!, "SIGKILL");
  await new Promise((r) => child.once("exit", r));
  const locked = await p.hpx(["up", "all.yml", "--yes"], SMALL_SHARDS);
  assert.equal(locked.code, 1);
  assert.equal(locked.stderr.split("\n")[0], "hpx: stack shards is locked by another update");
  assert.match(locked.stderr, /its holder is gone \(killed\?\): clear it with hpx cancel -s shards, then run the command again/);
  assert.equal((await p.hpx(["cancel"], SMALL_SHARDS)).code, 0);
  const again = await p.hpx(["up", "all.yml", "--yes"], SMALL_SHARDS);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(await images(p), twelve.map((n) => `${n}=nginxdemos/hello:0.3`));
  assert.deepEqual(await uids(p), before, "no object was made anew");
  assert.equal((await p.hpx(["preview", "all.yml", "--refresh", "--expect-no-changes"], SMALL_SHARDS)).code, 0);

  // Twice the processes: 8 shards; half of the first twelve move, none is made anew.
  const twentyFour = [...twelve, ...twelve.map((n) => `q${n.slice(1)}`)];
  p.write("more.yml", file(twentyFour, () => "nginxdemos/hello:0.3"));
  const grown = await p.hpx(["up", "more.yml", "--yes", "--verbose"], SMALL_SHARDS);
  assert.equal(grown.code, 0, grown.stderr);
  assert.match(grown.stderr, /^\[hpx\] shards: stack shards has 8 shard\(s\) \(was 4\) for 24 process\(es\)$/m);
  assert.match(grown.stderr, /12 created, 0 updated, 0 replaced, 0 deleted, 12 unchanged, 24 ready, 0 not ready$/m);
  const after = await uids(p);
  for (const [key, uid] of Object.entries(before)) assert.equal(after[key], uid, `${key} kept its uid`);
  assert.equal((await p.hpx(["preview", "more.yml", "--refresh", "--expect-no-changes"], SMALL_SHARDS)).code, 0);

  // One shard fails for real: the API server refuses any change to p05's Deployment. The
  // error names that shard and its processes; the other shard's change is applied.
  const of8 = (n: string) => shardOf(n, 8);
  const other = twentyFour.find((n) => of8(n) !== of8("p05"))!;
  p.write("freeze.yml", freezePolicy("p05", p.namespace));
  try {
    await p.kubectl(["apply", "-f", join(p.dir, "freeze.yml")]);
    await until(async () => (await p.kubectl(["patch", "deployment", "p05", "--dry-run=server", "--type=merge", "-p", '{"metadata":{"labels":{"probe":"1"}}}']).then(() => false, () => true)), "the policy to refuse p05's changes", { everyMs: 200 });
    p.write("frozen.yml", file(twentyFour, (n) => (n === "p05" || n === other ? "nginxdemos/hello:0.4" : "nginxdemos/hello:0.3")));
    const failed = await p.hpx(["up", "frozen.yml", "--yes", "--verbose"], SMALL_SHARDS);
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, new RegExp(`^\\[hpx\\] shards: running 2 shard\\(s\\) \\(${[of8("p05"), of8(other)].sort().join(", ")}\\), 2 at a time$`, "m"));
    assert.match(failed.stderr, /^hpx: update of stack shards failed in 1 of the 2 shard\(s\) it ran; the other 1 finished \(the stack has 8\)$/m);
    const held = twentyFour.filter((n) => of8(n) === of8("p05"));
    const line = `  shard ${of8("p05")} (Pulumi stack shards.hpx-shard-${of8("p05")}; processes ${held.join(", ")}): the Kubernetes API server reported that "shards/p05" failed to fully initialize or become live: deployments.apps "p05" is forbidden: ValidatingAdmissionPolicy 'hpx-test-freeze-p05' with binding 'hpx-test-freeze-p05' denied request: p05 is frozen by the test`;
    assert.ok(failed.stderr.split("\n").includes(line), failed.stderr);
    assert.ok((await images(p)).includes(`${other}=nginxdemos/hello:0.4`), "the other shard finished");
    assert.ok((await images(p)).includes("p05=nginxdemos/hello:0.3"), "the refused change was not made");
  } finally {
    await p.kubectl(["delete", "-f", join(p.dir, "freeze.yml"), "--ignore-not-found"]);
  }
  const thawed = await p.hpx(["up", "frozen.yml", "--yes"], SMALL_SHARDS);
  assert.equal(thawed.code, 0, thawed.stderr);
  assert.ok((await images(p)).includes("p05=nginxdemos/hello:0.4"));

  const destroyed = await p.hpx(["destroy", "--yes", "--verbose"], SMALL_SHARDS);
  assert.equal(destroyed.code, 0, destroyed.stderr);
  assert.deepEqual(await p.hpxObjects(), []);
  assert.deepEqual(shardFiles(p.stack), [], "the shards' stacks are removed");
  assert.match(destroyed.stderr, /^\[hpx\] shards: removed 8 empty shard stack\(s\) of shards \(file backend: no Pulumi CLI\)$/m);
  assert.deepEqual(cliStacks().filter((s) => s.startsWith(`organization/hpx/${p.stack}`)), [`organization/hpx/${p.stack}`], "the Pulumi CLI finds the root alone");
  assert.ok(existsSync(checkpoint(p.stack)), "the root keeps the stack's identity");
  await p.core.deleteNamespace({ name: p.namespace });
});

/** hpx as it was on main before shards (one Pulumi stack per hpx stack), from this repository's history. */
const LAST_SINGLE_STACK_MAIN = "6297f36";

test("a stack written by the hpx before shards is split by the next up: every object keeps its uid, and the state reads the same", async () => {
  const p = await project("unsharded");
  const dir = testDir("single-stack-hpx");
  const tar = execFileSync("git", ["-C", repoRoot, "archive", LAST_SINGLE_STACK_MAIN, "bin", "src", "toolchain", "package.json", "tsconfig.json"]);
  execFileSync("tar", ["-x", "-C", dir], { input: tar });
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"));
  p.write("twelve.yml", file(twelve));
  const first = await runBinary(join(dir, "bin", "hpx"), ["up", "twelve.yml", "--yes", "-s", p.stack], { CI: "true" }, p.dir);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(rootResources(p.stack).filter((r) => r.type === "hpx:index:HydroProcess").length, 12, "the old hpx keeps every process in one stack");
  const before = await uids(p);
  // Names, states and addresses (a changed process's pod is new, so its CREATED differs).
  const listed = async () => (await p.hpx(["ls"])).stdout.split("\n").map((l) => l.replace(/\s+\S+$/, ""));
  const lsBefore = await listed();

  // A preview reads the single stack as it is and changes nothing.
  const preview = await p.hpx(["preview", "twelve.yml", "--expect-no-changes"], SMALL_SHARDS);
  assert.equal(preview.code, 0, preview.stderr);
  assert.deepEqual(shardFiles(p.stack), []);

  p.write("one.yml", file(twelve, (n) => (n === "p07" ? "nginxdemos/hello:0.4" : "nginxdemos/hello")));
  const up = await p.hpx(["up", "one.yml", "--yes", "--verbose"], SMALL_SHARDS);
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stderr, /^\[hpx\] shards: stack unsharded is split into 4 shard\(s\) \(unsharded\.hpx-shard-0 …\); no object was changed$/m);
  assert.match(up.stderr, /0 created, 1 updated, 0 replaced, 0 deleted, 11 unchanged, 12 ready, 0 not ready$/m);
  assert.deepEqual(await uids(p), before, "no object was deleted or made anew");
  assert.deepEqual(rootResources(p.stack).map((r) => r.type), ["pulumi:pulumi:Stack"]);
  assert.equal(rootResources(p.stack)[0]!.outputs!.shards, 4);
  assert.deepEqual(shardFiles(p.stack), [0, 1, 2, 3].map((k) => `unsharded.hpx-shard-${k}.json`));
  assert.equal((await p.hpx(["preview", "one.yml", "--refresh", "--expect-no-changes"], SMALL_SHARDS)).code, 0);
  assert.deepEqual(await listed(), lsBefore, "ls shows the same processes and addresses");
  // `up` without a file re-applies the desired state the shards recorded, in the file's order.
  const stored = await p.hpx(["up", "--yes"], SMALL_SHARDS);
  assert.equal(stored.code, 0, stored.stderr);
  assert.match(stored.stderr, /0 created, 0 updated, 0 replaced, 0 deleted, 12 unchanged, 12 ready, 0 not ready$/m);

  const destroyed = await p.hpx(["destroy", "--yes"], SMALL_SHARDS);
  assert.equal(destroyed.code, 0, destroyed.stderr);
  assert.deepEqual(await p.hpxObjects(), []);
  await p.core.deleteNamespace({ name: p.namespace });
});

test("a new stack's first up past one shard records its identity and cluster first, and no Pulumi CLI runs for the root beside the shards", async () => {
  const p = await project("newshards");
  const eight = twelve.slice(0, 8);
  p.write("eight.yml", file(eight));
  const up = await p.hpx(["up", "eight.yml", "--yes", "--verbose"], SMALL_SHARDS);
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stderr, /^\[hpx\] shards: stack newshards has 2 shard\(s\) \(was 0\) for 8 process\(es\)$/m);
  assert.match(up.stderr, /^\[hpx\] root: newshards records its stack id and cluster \(a stack import, no engine run\)\n\[hpx\] root: newshards locked by hpx, its record unchanged \(no engine run for it\)$/m);
  assert.match(up.stderr, /8 created, 0 updated, 0 replaced, 0 deleted, 0 unchanged, 8 ready, 0 not ready$/m);
  const [record] = rootResources(p.stack).map((r) => r.outputs!);
  assert.deepEqual(Object.keys(record!).sort(), ["cluster", "shards", "stackId"]);
  assert.equal(record!.shards, 2);
  assert.match(String(record!.stackId), /^[0-9a-f]{32}$/);
  const ls = JSON.parse((await p.hpx(["ls", "-o", "json"], SMALL_SHARDS)).stdout) as { process_name: string }[];
  assert.deepEqual(ls.map((x) => x.process_name), eight, "ls finds the processes by the recorded stack id");
  const again = await p.hpx(["up", "eight.yml", "--yes", "--verbose"], SMALL_SHARDS);
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stderr, /records its stack id/);
  assert.match(again.stderr, /0 created, 0 updated, 0 replaced, 0 deleted, 8 unchanged, 8 ready, 0 not ready$/m);
  const destroyed = await p.hpx(["destroy", "--yes"], SMALL_SHARDS);
  assert.equal(destroyed.code, 0, destroyed.stderr);
  assert.deepEqual(await p.hpxObjects(), []);
  await p.core.deleteNamespace({ name: p.namespace });
});
