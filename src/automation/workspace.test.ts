import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, test, vi } from "vitest";

// A Pulumi CLI stand-in that records each command it was given, one line each, and answers
// as the real one does for what these tests ask: its version, a missing stack, an export.
const dir = mkdtempSync(join(tmpdir(), "hpx-workspace-"));
const calls = join(dir, "calls.txt");
const bin = join(dir, "cli", "pulumi");
mkdirSync(join(dir, "cli"));
writeFileSync(
  bin,
  `#!/bin/sh
echo "$*" >> ${calls}
case "$1 $2" in
  "version "*) echo v3.274.1 ;;
  "stack select") if [ "$4" != raced ]; then echo "error: no stack named '$4' found" >&2; exit 255; fi ;;
  "stack init") if [ "$3" = raced ]; then echo "error: stack 'raced' already exists" >&2; exit 255; fi ;;
  "stack export") echo '{"version": 3, "deployment": {}}' ;;
esac
`,
);
chmodSync(bin, 0o755);
process.env.HPX_HOME = join(dir, "home");
process.env.HPX_PULUMI = bin;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => writeFileSync(calls, ""));

const { knownCommand, pulumiCommand } = await import("./engine.ts");
const { openStack } = await import("./workspace.ts");
const commands = () => readFileSync(calls, "utf8").split("\n").filter((l) => l !== "");

test("`pulumi version` runs once per CLI file, not once per process, and again when the file changes", async () => {
  const [a, b] = await Promise.all([pulumiCommand(), pulumiCommand()]);
  assert.equal(a, b);
  assert.equal(a.version?.format(), "3.274.1");
  await pulumiCommand();
  // Asked once: the choice of CLI (installed-pulumi.ts) and the Automation API's command share the answer.
  assert.deepEqual(commands(), ["version"]);
  // Another hpx process (a fresh copy of the module) asks nothing: the answer is kept in hpx's home.
  vi.resetModules();
  const again = await (await import("./engine.ts")).pulumiCommand();
  assert.equal(again.version?.format(), "3.274.1");
  assert.deepEqual(commands(), ["version"]);
  const later = new Date(Date.now() + 5_000);
  utimesSync(bin, later, later);
  const replaced = await pulumiCommand();
  assert.notEqual(replaced, a);
  assert.deepEqual(commands(), ["version", "version"]);
});

test("the command made from a kept version is the one PulumiCommand.get makes", async () => {
  const { automation } = await import("@pulumi/pulumi");
  const root = join(dir, "root");
  mkdirSync(join(root, "bin"), { recursive: true });
  symlinkSync(bin, join(root, "bin", "pulumi"));
  const got = await automation.PulumiCommand.get({ root });
  const made = knownCommand(automation, join(root, "bin", "pulumi"), got.version!);
  assert.equal(Object.getPrototypeOf(made), Object.getPrototypeOf(got));
  assert.deepEqual({ ...made }, { ...got });
  assert.deepEqual(Object.keys(made), ["command", "version"]);
});

test("a stack whose state file the file backend holds opens without `pulumi stack select`; its commands name it", async () => {
  const backend = join(dir, "state");
  mkdirSync(join(backend, ".pulumi", "stacks", "hpx"), { recursive: true });
  writeFileSync(join(backend, ".pulumi", "stacks", "hpx", "known.json"), "{}");
  const stack = await openStack("known", `file://${backend}`);
  assert.equal(stack.name, "known");
  assert.deepEqual(await stack.exportStack(), { version: 3, deployment: {} });
  assert.deepEqual(
    commands().filter((c) => c.startsWith("stack")),
    ["stack export --show-secrets --stack known --non-interactive"],
  );
});

test("a file backend's stack without a state file is created with `pulumi stack init` alone: no `stack select` fails first", async () => {
  const stack = await openStack("missing", `file://${join(dir, "state")}`, undefined, { initialUpdate: false });
  assert.equal(stack.name, "missing");
  assert.deepEqual(
    commands().filter((c) => c.startsWith("stack")),
    ["stack init missing --non-interactive"],
  );
});

test("a file backend's stack that another run created meanwhile is selected", async () => {
  const stack = await openStack("raced", `file://${join(dir, "state")}`, undefined, { initialUpdate: false });
  assert.equal(stack.name, "raced");
  assert.deepEqual(
    commands().filter((c) => c.startsWith("stack")),
    ["stack init raced --non-interactive", "stack select --stack raced --non-interactive"],
  );
});

test("on a backend hpx cannot look into, a stack is looked for with `pulumi stack select`, and created when missing", async () => {
  const stack = await openStack("missing", "s3://hpx-state?region=us-east-1", undefined, { initialUpdate: false });
  assert.equal(stack.name, "missing");
  assert.deepEqual(
    commands().filter((c) => c.startsWith("stack")),
    ["stack select --stack missing --non-interactive", "stack init missing --non-interactive"],
  );
});
