import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { beforeAll, test } from "vitest";
import { repoRoot } from "../src/toolchain.ts";
import { hpx } from "./harness/cli.ts";
import { harnessEnv } from "./harness/env.ts";
import { project, type Project } from "./harness/project.ts";

// hpx's exit codes, one by one, as a pipeline sees them (CI=true, no terminal).
let p: Project;
const ONE = "process_name: solo\ncontainer: {image_uri: nginxdemos/hello, ports: [{container_port: 80}]}\n";
beforeAll(async () => {
  p = await project("exits");
  p.write("one.yml", ONE);
  p.write("changed.yml", ONE.replace("nginxdemos/hello", "nginxdemos/hello:0.4"));
  p.write("bad.yml", "process_name: Bad_Name\ncontainer: {image_uri: x}\n");
});

test("0: success, with one JSON document on stdout for up, preview, ls and destroy", async () => {
  const up = await p.hpx(["up", "one.yml", "--yes", "--json"], { CI: "true" });
  assert.equal(up.code, 0, up.stderr);
  assert.deepEqual(JSON.parse(up.stdout).changes, [{ process: "solo", change: "create", fields: {} }]);
  const preview = await p.hpx(["preview", "one.yml", "--json", "--expect-no-changes"], { CI: "true" });
  assert.equal(preview.code, 0);
  assert.deepEqual(JSON.parse(preview.stdout), { stack: "exits", changes: [{ process: "solo", change: "same", fields: {} }], changed: false });
  const ls = await p.hpx(["ls", "-o", "json"]);
  assert.equal(ls.code, 0);
  assert.equal(JSON.parse(ls.stdout)[0].process_name, "solo");
});

test("2: a spec error, a bad flag, or up without --yes off a terminal; nothing changes", async () => {
  const spec = await p.hpx(["up", "bad.yml", "--yes"], { CI: "true" });
  assert.equal(spec.code, 2);
  assert.match(spec.stderr, /^bad\.yml:1:15: process_name: /);
  const flag = await p.hpx(["up", "one.yml", "--yes", "--timeout", "soon"], { CI: "true" });
  assert.equal(flag.code, 2);
  assert.equal(flag.stderr, 'hpx: --timeout: expected a duration such as 90s, 5m or 1h30m (a bare number is seconds), got "soon"\n');
  const prompt = await p.hpx(["up", "changed.yml"], { CI: "true" });
  assert.equal(prompt.code, 2);
  assert.equal(prompt.stderr, "hpx: not a terminal: pass --yes to apply without a prompt\n");
  assert.equal((await p.hpx(["preview", "one.yml", "--expect-no-changes"])).code, 0, "nothing changed");
});

test("3: --expect-no-changes with changes", async () => {
  const res = await p.hpx(["preview", "changed.yml", "--expect-no-changes"], { CI: "true" });
  assert.equal(res.code, 3);
  assert.equal(res.stdout, "~  solo  update\n0 to create, 1 to update, 0 to replace, 0 to delete\n");
  assert.equal(res.stderr.split("\n").at(-2), "hpx: stack exits has changes");
});

test("1: the operation failed (here: the stack's kubeconfig is gone)", async () => {
  p.write("stacks/gone.yml", `runtime: {runtime_type: kubeconfig, kubeconfig: ${join(p.dir, "missing.kubeconfig")}, namespace: ${p.namespace}}\n`);
  const res = await hpx(["up", "one.yml", "--yes", "-s", "gone"], { CI: "true" }, p.dir);
  assert.equal(res.code, 1);
  assert.equal(res.stderr, `hpx: kubeconfig ${join(p.dir, "missing.kubeconfig")} does not exist\n`);
});

test("1: the stack's namespace does not exist: said so, and nothing is recorded", async () => {
  p.write("stacks/absent.yml", `backend: ${harnessEnv().backendUrl}\nruntime: {runtime_type: local, namespace: hpx-absent-ns}\n`);
  const res = await hpx(["up", "one.yml", "--yes", "-s", "absent"], { CI: "true" }, p.dir);
  assert.equal(res.code, 1);
  assert.equal(
    res.stderr.split("\n").filter((l) => l.startsWith("hpx: ") || l.startsWith("  ")).join("\n"),
    "hpx: namespace hpx-absent-ns does not exist in the cluster\n  nothing was changed; create it (kubectl create namespace hpx-absent-ns), or name an existing one as the stack's runtime.namespace",
  );
  const preview = await hpx(["preview", "one.yml", "--json", "-s", "absent"], { CI: "true" }, p.dir);
  assert.deepEqual(JSON.parse(preview.stdout).changes, [{ process: "solo", change: "create", fields: {} }]);
});

test("130: Ctrl-C stops the engine after the steps under way; the next up converges", async () => {
  p.write("ten.yml", "processes:\n" + Array.from({ length: 10 }, (_, i) => `  - process_name: t${i}\n    container: {image_uri: nginxdemos/hello}\n`).join(""));
  const child = spawn(join(repoRoot, "bin", "hpx"), ["up", "ten.yml", "--yes", "-s", p.stack], { cwd: p.dir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "true" } });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  for (let i = 0; i < 600 && !/creating Deployment t/.test(stderr); i++) await new Promise((r) => setTimeout(r, 50));
  child.kill("SIGINT");
  const code = await new Promise<number | null>((r) => child.once("close", r));
  assert.equal(code, 130, stderr);
  assert.match(stderr, /^hpx: update of stack exits interrupted; the engine stopped after the steps under way$/m);
  const again = await p.hpx(["up", "ten.yml", "--yes"], { CI: "true" });
  assert.equal(again.code, 0, again.stderr);
  const destroyed = await p.hpx(["destroy", "--yes", "--json"]);
  assert.equal(destroyed.code, 0);
  const doc = JSON.parse(destroyed.stdout) as { stack: string; changes: { process: string; change: string }[]; notGone: unknown[] };
  assert.deepEqual([doc.stack, doc.changes.length, doc.changes.every((c) => c.change === "delete"), doc.notGone], ["exits", 10, true, []]);
  assert.deepEqual(await p.hpxObjects(), []);
});

/** Runs a shell command on a pseudo-terminal (util-linux `script`), as a person's shell would run it. */
function onTerminal(command: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: p.dir, env: { ...process.env, CI: "" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.once("close", (code) => resolve({ code, out }));
  });
}

test("progress: one live line per process on a terminal, plain lines off one", async () => {
  p.write("two.yml", "processes:\n  - process_name: l1\n    container: {image_uri: x}\n  - process_name: l2\n    container: {image_uri: x}\n");
  const plain = await p.hpx(["preview", "two.yml"], { CI: "true" });
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stderr, /^l1: would create Deployment l1$/m);
  assert.doesNotMatch(plain.stderr, /\x1b\[/);
  const tty = await onTerminal(`${join(repoRoot, "bin", "hpx")} preview two.yml -s ${p.stack}`);
  assert.equal(tty.code, 0, tty.out);
  assert.match(tty.out, /\x1b\[2K {2}l1 +would create Deployment l1/);
  assert.match(tty.out, /\x1b\[2A/, "the live lines are redrawn in place");
});

test("progress on a terminal shorter than the file: one line of counts instead of a line per process", async () => {
  const six = Array.from({ length: 6 }, (_, i) => `  - process_name: s${i}\n    container: {image_uri: x}\n`).join("");
  p.write("six.yml", `processes:\n${six}`);
  // 5 rows: the live block may take 3, and six processes do not fit.
  const tty = await onTerminal(`stty rows 5 cols 100; ${join(repoRoot, "bin", "hpx")} preview six.yml -s ${p.stack}`);
  assert.equal(tty.code, 0, tty.out);
  assert.match(tty.out, /\x1b\[2K {2}6 processes: 6 planned\r?\n(\x1b\[J)?previewed in [0-9.]+ s: nothing was changed/);
});
