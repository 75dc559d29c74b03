import assert from "node:assert/strict";
import { test } from "vitest";
import { countRequests } from "../bench/audit-log.ts";
import { project, type Project } from "./harness/project.ts";

const processes = (n: number) =>
  "processes:\n" +
  Array.from({ length: n }, (_, i) => `  - process_name: s${String(i).padStart(3, "0")}\n    has_public_ip: ${i % 2 === 0}\n    container: {image_uri: nginxdemos/hello, ports: [{container_port: 80}]}\n`).join("");

/** API requests the command made, from kube-apiserver's audit log. */
async function requests(p: Project, args: string[]): Promise<number> {
  const log = process.env.HPX_TEST_AUDIT_LOG!;
  countRequests(log, 0, 0); // read past everything before this command
  const from = Date.now();
  const res = await p.hpx(args);
  assert.equal(res.code, 0, `${args.join(" ")}: ${res.stderr}`);
  await new Promise((r) => setTimeout(r, 300));
  return countRequests(log, from, Date.now());
}

// The design (docs/performance.md): a no-op preview reads the cluster's identity and lists
// the namespace's Deployments, Services and Secrets; ls lists nodes, pods and Services.
// Neither depends on the number of processes.
test("at 10 and at 300 processes (more Services than a /24 holds), a no-op preview and ls make the same few API requests", async () => {
  const p = await project("scaling");
  const seen: Record<number, { preview: number; ls: number }> = {};
  for (const n of [10, 300]) {
    p.write("many.yml", processes(n));
    const up = await p.hpx(["up", "many.yml", "--yes", "--no-wait"]);
    assert.equal(up.code, 0, up.stderr);
    seen[n] = { preview: await requests(p, ["preview", "many.yml", "--expect-no-changes"]), ls: await requests(p, ["ls", "-o", "json"]) };
  }
  assert.equal((await p.core.listNamespacedService({ namespace: p.namespace })).items.length, 300);
  assert.deepEqual(seen[300], seen[10], JSON.stringify(seen));
  assert.equal(seen[300]!.ls, 3);
  assert.ok(seen[300]!.preview <= 6, `a no-op preview made ${seen[300]!.preview} requests`);
  const destroyed = await p.hpx(["destroy", "--yes"]);
  assert.equal(destroyed.code, 0, destroyed.stderr);
});
