import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { test } from "vitest";
import { repoRoot } from "../src/toolchain.ts";
import { project } from "./harness/project.ts";
import { faultSeed, seeded } from "./harness/random.ts";

const processes = (n: number): string =>
  "processes:\n" +
  Array.from({ length: n }, (_, i) => `  - process_name: p${String(i).padStart(2, "0")}\n    container: {image_uri: nginxdemos/hello, ports: [{container_port: 80}]}\n`).join("");

test("kill -9 of hpx's process group in the middle of an up of 30 processes: hpx cancel, then up converges, no duplicates, no orphans", async () => {
  const p = await project("crash");
  p.write("thirty.yml", processes(30));
  // The whole process group, as a CI runner or the OOM killer would end it: hpx, the engine, the plugin.
  const child = spawn(join(repoRoot, "bin", "hpx"), ["up", "thirty.yml", "--yes", "-s", p.stack], { cwd: p.dir, detached: true, stdio: "ignore" });
  // Killed as soon as the engine has created something: it is then mid-update, holding
  // the stack's lock (the next up finding that lock is the proof).
  let created = 0;
  for (let i = 0; i < 1200 && created === 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    created = (await p.apps.listNamespacedDeployment({ namespace: p.namespace })).items.length;
  }
  assert.ok(created >= 1, "the engine created nothing within a minute");
  process.kill(-child.pid!, "SIGKILL");
  await new Promise((r) => child.once("exit", r));

  const locked = await p.hpx(["up", "thirty.yml", "--yes"]);
  assert.equal(locked.code, 1);
  const lines = locked.stderr.trimEnd().split("\n");
  assert.equal(lines[0], "hpx: stack crash is locked by another update");
  assert.match(lines[1]!, /^ {2}held by \S+@\S+ \(pid \d+, no longer running\) since \d{4}-\d\d-\d\dT/);
  assert.equal(lines[2], "  its holder is gone (killed?): clear it with hpx cancel -s crash, then run the command again");

  const cancel = await p.hpx(["cancel"]);
  assert.equal(cancel.code, 0, cancel.stderr);
  assert.match(cancel.stdout, /^removed the lock of stack crash held by \S+ \(pid \d+, no longer running\) since /);

  const again = await p.hpx(["up", "thirty.yml", "--yes"]);
  assert.equal(again.code, 0, again.stderr);
  const objects = await p.hpxObjects();
  const names = (kind: string) => objects.filter((o) => o.startsWith(`${kind}/`)).map((o) => o.slice(kind.length + 1));
  const want = Array.from({ length: 30 }, (_, i) => `p${String(i).padStart(2, "0")}`);
  assert.deepEqual(names("Deployment"), want);
  assert.deepEqual(names("Service"), want);
  assert.equal(names("Pod").length, 30, "one pod per process");
  assert.equal((await p.hpx(["preview", "thirty.yml", "--refresh", "--expect-no-changes"])).code, 0);

  // No orphans: the state knows every object, so destroy leaves nothing behind.
  const destroyed = await p.hpx(["destroy", "--yes"]);
  assert.equal(destroyed.code, 0, destroyed.stderr);
  assert.deepEqual(await p.hpxObjects(), []);
});

// 3 moments per run by default, sampled from the day's seed (harness/random.ts), to keep
// the suite's time in check (20 were run before: HPX_TEST_KILL_ROUNDS=20). A kill inside
// the file backend's write of a blob's attributes sidecar left it empty and the stack
// unreadable ("error: EOF") in about one run of three; hpx now repairs that
// (file-state-repair.ts, faults.test.ts).
const KILL_ROUNDS = Number(process.env.HPX_TEST_KILL_ROUNDS ?? "3");

test.skipIf(KILL_ROUNDS === 0)("kill -9 at random moments of an up of 30 processes: each time the next up converges after at most one hpx cancel", async () => {
  const p = await project("kills");
  const seed = faultSeed();
  const random = seeded(seed + 2);
  const names = Array.from({ length: 30 }, (_, i) => `k${String(i).padStart(2, "0")}`);
  const moments: string[] = [];
  for (let round = 0; round < KILL_ROUNDS; round++) {
    const image = `busybox:1.${round}`;
    p.write("thirty.yml", "processes:\n" + names.map((n) => `  - process_name: ${n}\n    container: {image_uri: "${image}"}\n`).join(""));
    const child = spawn(join(repoRoot, "bin", "hpx"), ["up", "thirty.yml", "--yes", "--no-wait", "-s", p.stack], { cwd: p.dir, detached: true, stdio: "ignore" });
    const delay = Math.floor(random() * 6000);
    await new Promise((r) => setTimeout(r, delay));
    if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once("exit", r)));

    let next = await p.hpx(["up", "thirty.yml", "--yes", "--no-wait"]);
    let cancelled = false;
    if (next.code !== 0 && next.stderr.includes("is locked by another update")) {
      assert.equal((await p.hpx(["cancel"])).code, 0);
      cancelled = true;
      next = await p.hpx(["up", "thirty.yml", "--yes", "--no-wait"]);
    }
    assert.equal(next.code, 0, `round ${round} (killed after ${delay} ms, HPX_TEST_SEED=${seed}): ${next.stderr}`);
    moments.push(`${delay} ms${cancelled ? " (+cancel)" : ""}`);
    const deployments = (await p.apps.listNamespacedDeployment({ namespace: p.namespace })).items;
    assert.deepEqual(deployments.map((d) => d.metadata!.name).sort(), names, `round ${round}: exactly the desired Deployments`);
    assert.ok(deployments.every((d) => d.spec!.template.spec!.containers[0]!.image === image), `round ${round}: every Deployment runs ${image}`);
  }
  process.stderr.write(`[kills] moments (HPX_TEST_SEED=${seed}): ${moments.join(", ")}\n`);
  const destroyed = await p.hpx(["destroy", "--yes"]);
  assert.equal(destroyed.code, 0, destroyed.stderr);
  assert.deepEqual(await p.hpxObjects(), [], "no orphans: the state knew every object");
});
