import assert from "node:assert/strict";
import { test } from "vitest";
import { project } from "./harness/project.ts";

test("hpx cull stops exactly the processes older than --max-age, by when hpx first applied them", async () => {
  const p = await project("culling");
  p.write("two.yml", "- {process_name: old-a, container: {image_uri: nginxdemos/hello}}\n- {process_name: old-b, container: {image_uri: nginxdemos/hello}}\n");
  assert.equal((await p.hpx(["up", "two.yml", "--yes"])).code, 0);
  await new Promise((r) => setTimeout(r, 12_000));
  p.write("young.json", JSON.stringify({ process_name: "young", container: { image_uri: "nginxdemos/hello" } }));
  assert.equal((await p.hpx(["start", "young.json"])).code, 0);
  // old-a and old-b are at least 12 s older than young; young was applied moments ago.
  const culled = await p.hpx(["cull", "--max-age", "10s", "--json"]);
  assert.equal(culled.code, 0, culled.stderr);
  assert.deepEqual(JSON.parse(culled.stdout), { stack: "culling", culled: ["old-a", "old-b"] });
  const ls = JSON.parse((await p.hpx(["ls", "-o", "json"])).stdout) as { process_name: string }[];
  assert.deepEqual(ls.map((x) => x.process_name), ["young"]);
  const none = await p.hpx(["cull", "--max-age", "1h"]);
  assert.equal(none.stdout, "no process is older than the limit\n");
  const noLimit = await p.hpx(["cull"]);
  assert.equal(noLimit.code, 2);
  assert.equal(noLimit.stderr, "hpx: give --max-age, or set process_culling.max_age_minutes in stack culling's file\n");
  assert.equal((await p.hpx(["destroy", "--yes"])).code, 0);
});
