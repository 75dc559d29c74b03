import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, test } from "vitest";
import { repoRoot } from "../src/toolchain.ts";
import { hpx } from "./harness/cli.ts";
import { countingServer, kubeconfigFor } from "./harness/counting-server.ts";
import { testDir } from "./harness/env.ts";
import { faultSeed, seeded } from "./harness/random.ts";

// The stack points at an endpoint that counts requests and a fresh state directory:
// an invalid file must exit 2, locate its problems, send nothing and write nothing.
let server: Awaited<ReturnType<typeof countingServer>>;
let dir: string;

beforeAll(async () => {
  server = await countingServer();
  dir = testDir("spec-errors");
  writeFileSync(join(dir, "kubeconfig"), kubeconfigFor(server.url));
  mkdirSync(join(dir, "stacks"));
  writeFileSync(
    join(dir, "stacks", "counted.yml"),
    `backend: file://${join(dir, "state")}\nruntime: {runtime_type: kubeconfig, kubeconfig: ${join(dir, "kubeconfig")}}\n`,
  );
});

afterAll(() => server.close());

const invalid = join(repoRoot, "test", "fixtures", "specs", "invalid");
const files = readdirSync(invalid).sort();

const invalidStacks = join(repoRoot, "test", "fixtures", "stacks", "invalid");
const stackFiles = readdirSync(invalidStacks).sort();

test("at least 60 malformed processes and stack files", () => {
  assert.ok(files.length + stackFiles.length >= 60, `${files.length} + ${stackFiles.length} fixtures`);
});

// Every file through `up`, the command that would change things; `preview` reads a file
// through the same loader, so it takes a sample of them, other ones each day (the fault
// tests' seed, harness/random.ts): HPX_TEST_SPEC_PREVIEWS=73 runs it on every file.
const PREVIEWS = Number(process.env.HPX_TEST_SPEC_PREVIEWS ?? "8");
const previewed = sample(files, PREVIEWS, seeded(faultSeed() + 5));

function sample<T>(items: readonly T[], n: number, random: () => number): Set<T> {
  const left = [...items];
  const picked = new Set<T>();
  while (picked.size < Math.min(n, items.length)) picked.add(left.splice(Math.floor(random() * left.length), 1)[0]!);
  return picked;
}

for (const file of files) {
  for (const command of previewed.has(file) ? ["up", "preview"] : ["up"]) {
    test(`hpx ${command} ${file}: exit 2, located messages, no API request, no state`, async () => {
      const path = join(invalid, file);
      const res = await hpx([command, path, "-s", "counted", "--yes"].filter((a) => command === "up" || a !== "--yes"), {}, dir);
      assert.equal(res.code, 2, res.stderr);
      const lines = res.stderr.trimEnd().split("\n");
      assert.match(lines[lines.length - 1]!, /^hpx: \d+ problems? found; nothing was changed$/);
      for (const line of lines.slice(0, -1)) assert.ok(line.startsWith(`${path}:`) && /^[^:]+:\d+:\d+: /.test(line), line);
      assert.equal(res.stdout, "");
      assert.equal(server.count(), 0);
      assert.equal(existsSync(join(dir, "state")), false);
    });
  }
}

for (const file of stackFiles) {
  test(`hpx up with stack file ${file}: exit 2, located in the stack file, no API request, no state`, async () => {
    const name = `bad-${file.replace(/\.yml$/, "")}`;
    copyFileSync(join(invalidStacks, file), join(dir, "stacks", `${name}.yml`));
    const res = await hpx(["up", join(repoRoot, "examples", "nginx.json"), "-s", name, "--yes"], {}, dir);
    assert.equal(res.code, 2, res.stderr);
    const lines = res.stderr.trimEnd().split("\n");
    assert.match(lines.at(-1)!, /^hpx: \d+ problems? found; nothing was changed$/);
    for (const line of lines.slice(0, -1)) assert.ok(line.startsWith(`${join(dir, "stacks", `${name}.yml`)}:`), line);
    assert.equal(server.count(), 0);
    assert.equal(existsSync(join(dir, "state")), false);
  });
}

test("a reference to a secret the store lacks: exit 2, located at the reference, nothing sent", async () => {
  writeFileSync(join(dir, "needs-secret.yml"), "process_name: web\ncontainer:\n  image_uri: x\n  env:\n    - {name: TOKEN, value: {secret_name: api, key: token}}\n");
  writeFileSync(join(dir, "stacks", "envstore.yml"), `secret_store: {secret_store_type: env}\nbackend: file://${join(dir, "state")}\nruntime: {runtime_type: kubeconfig, kubeconfig: ${join(dir, "kubeconfig")}}\n`);
  const res = await hpx(["up", "needs-secret.yml", "-s", "envstore", "--yes"], {}, dir);
  assert.equal(res.code, 2);
  assert.equal(res.stderr, "needs-secret.yml:5:28: container.env.0.value: secret api is not set: export HPX_SECRET_API\nhpx: 1 problem found; nothing was changed\n");
  assert.equal(server.count(), 0);
  assert.equal(existsSync(join(dir, "state")), false);
});

test("a huge processes file is refused before it is read: exit 2, located, nothing sent", async () => {
  const huge = join(dir, "huge.yml");
  writeFileSync(huge, "#".repeat(11 * 1024 * 1024)); // one 11 MiB comment
  const res = await hpx(["up", huge, "-s", "counted", "--yes"], {}, dir);
  assert.equal(res.code, 2);
  assert.equal(res.stderr, `${huge}:1:1: the file is 11.0 MiB: hpx reads processes files of at most 10 MiB\nhpx: 1 problem found; nothing was changed\n`);
  assert.equal(server.count(), 0);
});

test("a stack file with an error is located too, and changes nothing", async () => {
  writeFileSync(join(dir, "stacks", "broken.yml"), "runtime:\n  runtime_type: kubeconfig\n  kubeconfg: x\n");
  const res = await hpx(["up", join(repoRoot, "examples", "nginx.json"), "-s", "broken", "--yes"], {}, dir);
  assert.equal(res.code, 2);
  assert.equal(
    res.stderr,
    `${join(dir, "stacks", "broken.yml")}:2:3: runtime.kubeconfig: is required\n` +
      `${join(dir, "stacks", "broken.yml")}:3:3: runtime.kubeconfg: unknown key "kubeconfg": did you mean kubeconfig?\n` +
      "hpx: 2 problems found; nothing was changed\n",
  );
  assert.equal(server.count(), 0);
});
