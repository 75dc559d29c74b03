/**
 * The API server restarted under a running up. In a file of its own because the restart
 * stops every other file's requests for seconds: vitest.config.ts runs it alone.
 */
import assert from "node:assert/strict";
import { test } from "vitest";
import { harnessEnv } from "./harness/env.ts";
import { project } from "./harness/project.ts";
import { restartApiServer, restartExited } from "./harness/restart-apiserver.ts";

test("the API server restarted in the middle of an up: the run completes or fails clearly, and the next up converges", async () => {
  const p = await project("restart");
  const names = Array.from({ length: 20 }, (_, i) => `r${String(i).padStart(2, "0")}`);
  p.write("twenty.yml", "processes:\n" + names.map((n) => `  - process_name: ${n}\n    container: {image_uri: nginxdemos/hello}\n`).join(""));
  const t0 = Date.now();
  const running = p.hpx(["up", "twenty.yml", "--yes", "--no-wait"]);
  for (let i = 0; i < 1200; i++) {
    if ((await p.apps.listNamespacedDeployment({ namespace: p.namespace })).items.length > 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await restartApiServer(harnessEnv().home);
  const restarted = Date.now() - t0;
  const first = await running;
  process.stderr.write(`[restart] restarted after ${restarted} ms; the interrupted up ended with ${first.code} after ${Date.now() - t0} ms\n`);
  // Give the cluster back its controllers, as a node's supervisor would, for the next up and the next tests.
  await new Promise((r) => setTimeout(r, 2000));
  process.stderr.write(`[restart] components started again: ${restartExited(harnessEnv().home).join(", ") || "none"}\n`);
  if (first.code !== 0) {
    assert.equal(first.code, 1);
    assert.match(first.stderr, /^hpx: /m, first.stderr);
    assert.doesNotMatch(first.stderr, /unexpected error/);
  }
  let next = await p.hpx(["up", "twenty.yml", "--yes", "--timeout", "2m"]);
  if (next.code !== 0 && next.stderr.includes("is locked by another update")) {
    assert.equal((await p.hpx(["cancel"])).code, 0);
    next = await p.hpx(["up", "twenty.yml", "--yes", "--timeout", "2m"]);
  }
  process.stderr.write(`[restart] converged after ${Date.now() - t0} ms\n`);
  assert.equal(next.code, 0, next.stderr);
  assert.deepEqual((await p.apps.listNamespacedDeployment({ namespace: p.namespace })).items.map((d) => d.metadata!.name).sort(), names);
  assert.equal((await p.hpx(["preview", "twenty.yml", "--refresh", "--expect-no-changes"])).code, 0);
  assert.equal((await p.hpx(["destroy", "--yes"])).code, 0);
});
