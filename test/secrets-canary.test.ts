import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "vitest";
import { repoRoot } from "../src/toolchain.ts";
import { hpx } from "./harness/cli.ts";
import { harnessEnv } from "./harness/env.ts";
import { project } from "./harness/project.ts";

const CANARIES = ["cAnArY-env-7f3a91c2", "cAnArY-reg-2b8c44d0", "cAnArY-rot-91ee03ab"];
const forms = (v: string) => [v, Buffer.from(v).toString("base64"), Buffer.from(v).toString("base64url")];
/** Every file under a directory, recursively. */
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));

test("canary secret values (secret store, env value, registry password) appear in no output (--verbose included), argument, plan, summary or state; the cluster Secret holds them", async () => {
  const p = await project("canary");
  const store = join(p.dir, "store");
  const env = { HPX_SECRET_STORE_PASSWORD: "canary store password" };
  p.write(`stacks/${p.stack}.yml`, `secret_store: {secret_store_type: local, store_location: ${store}}\nbackend: ${harnessEnv().backendUrl}\nruntime: {runtime_type: local, namespace: ${p.namespace}}\n`);
  assert.equal((await hpx(["secrets", "init", "--store", store], env, p.dir)).code, 0);
  const add = async (name: string, value: string) => {
    p.write(`${name}.json`, value);
    const res = await hpx(["secrets", "add", name, "-f", join(p.dir, `${name}.json`), "--store", store], env, p.dir);
    assert.equal(res.code, 0, res.stderr);
  };
  await add("app", JSON.stringify({ token: CANARIES[0] }));
  await add("registry", JSON.stringify({ password: CANARIES[1] }));
  p.write(
    "app.yml",
    "process_name: app\ncontainer:\n  image_uri: registry.example:5000/team/app:1\n  env: [{name: TOKEN, value: {secret_name: app, key: token}}]\n  username: bot\n  password: {secret_name: registry, key: password}\n",
  );

  const outputs: string[] = [];
  const run = async (args: string[], code = 0) => {
    const res = await p.hpx(args, env);
    assert.equal(res.code, code, `${args.join(" ")}: ${res.stderr}`);
    outputs.push(res.stdout, res.stderr);
  };
  await run(["preview", "app.yml", "--diff"]);
  // Process arguments while an up runs: sampled from ps.
  const argv: string[] = [];
  const up = spawn(join(repoRoot, "bin", "hpx"), ["up", "app.yml", "--yes", "-s", p.stack], { cwd: p.dir, env: { ...process.env, ...env }, stdio: "ignore" });
  while (up.exitCode === null) {
    argv.push(execFileSync("ps", ["-eo", "args"], { encoding: "utf8" }));
    await new Promise((r) => setTimeout(r, 150));
  }
  assert.equal(up.exitCode, 0);
  await run(["up", "app.yml", "--yes", "--json"]);
  await run(["ls", "-o", "json"]);
  await run(["ls", "-o", "wide"]);
  await run(["preview", "app.yml", "--save-plan", "plan.json", "--summary-md", "summary.md"]);
  await add("app", JSON.stringify({ token: CANARIES[2] })); // rotation
  await run(["preview", "app.yml", "--diff", "--json"]);
  await run(["preview", "app.yml", "--diff", "--verbose"]);
  await run(["up", "app.yml", "--yes", "--verbose"]);
  p.write("broken.yml", readFileSync(join(p.dir, "app.yml"), "utf8").replace("key: token", "key: missing"));
  await run(["up", "broken.yml", "--yes"], 2);

  const secret = await p.core.readNamespacedSecret({ name: "app-env", namespace: p.namespace });
  assert.equal(Buffer.from(secret.data!.TOKEN!, "base64").toString(), CANARIES[2], "the cluster Secret holds the value");
  const stateFiles = files(new URL(harnessEnv().backendUrl).pathname).filter((f) => f.includes("canary"));
  assert.ok(stateFiles.length > 0);
  const places: [string, string][] = [
    ...outputs.map((o, i): [string, string] => [`output ${i}`, o]),
    ...argv.map((a, i): [string, string] => [`ps sample ${i}`, a]),
    ["plan.json", readFileSync(join(p.dir, "plan.json"), "utf8")],
    ["summary.md", readFileSync(join(p.dir, "summary.md"), "utf8")],
    ...stateFiles.map((f): [string, string] => [f, readFileSync(f, "utf8")]),
  ];
  for (const [where, text] of places) {
    for (const canary of CANARIES) for (const form of forms(canary)) assert.ok(!text.includes(form), `${where} holds ${form}`);
  }
  assert.equal(statSync(join(p.dir, "plan.json")).mode & 0o777, 0o600);
  assert.equal(outputs.at(-1), `broken.yml:4:30: container.env.0.value: secret app has no key missing\nhpx: 1 problem found; nothing was changed\n`);
  await run(["destroy", "--yes"]);
});
