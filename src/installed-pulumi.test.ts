import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, test } from "vitest";
import { ToolchainError } from "./errors.ts";
import { chooseKubernetesPlugin, choosePulumi, isSupported, readPulumiVersion, supportedRange, userPluginDir } from "./installed-pulumi.ts";
import { readVersions, repoRoot } from "./toolchain.ts";

const dir = mkdtempSync(join(tmpdir(), "hpx-installed-pulumi-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const versions = { pulumi: "3.274.1", pulumiSupportedMin: "3.270.0", pulumiSupportedBelow: "4.0.0" };
const toolchainBin = join(dir, "cache", "pulumi-3.274.1", "bin", "pulumi");

/** A real executable `pulumi` in its own directory that prints `version` as a Pulumi CLI does. */
function fakePulumi(name: string, version: string, mode = 0o755): string {
  const bin = join(dir, name, "pulumi");
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(bin, `#!/bin/sh\n[ "$1" = version ] && echo ${version}\n`);
  chmodSync(bin, mode);
  return join(dir, name);
}

const choose = (env: Record<string, string>) => choosePulumi({ env, versionOf: readPulumiVersion, versions, toolchainBin });

test("HPX_PULUMI comes first, then a supported pulumi on PATH, then the toolchain's build", () => {
  const explicit = join(fakePulumi("explicit", "v3.271.0"), "pulumi");
  const onPath = fakePulumi("on-path", "v3.280.2");
  assert.deepEqual(choose({ HPX_PULUMI: explicit, PATH: onPath }), { bin: explicit, source: "HPX_PULUMI", version: "v3.271.0", warnings: [] });
  assert.deepEqual(choose({ PATH: `/nonexistent:${onPath}` }), { bin: join(onPath, "pulumi"), source: "PATH", version: "v3.280.2", warnings: [] });
  assert.deepEqual(choose({ PATH: join(dir, "empty") }), { bin: toolchainBin, source: "toolchain", version: "v3.274.1", warnings: [] });
});

test("an unsupported pulumi on PATH is passed over, naming the supported versions and what is used instead", () => {
  for (const old of ["v3.100.0", "v3.270.0-alpha.1", "v4.0.0"]) {
    const onPath = fakePulumi(`old-${old}`, old);
    const choice = choose({ PATH: onPath });
    assert.equal(choice.bin, toolchainBin);
    assert.deepEqual(choice.warnings, [
      `the pulumi on PATH (${join(onPath, "pulumi")}) is Pulumi CLI ${old}; hpx supports Pulumi CLI 3.270.0 or newer, before 4.0.0 (tested: 3.274.1): using the toolchain's Pulumi CLI v3.274.1 (${toolchainBin}) instead`,
    ]);
  }
});

test("the first pulumi on PATH is the one judged, as a shell would run it; one that is not executable is not a pulumi", () => {
  const notExecutable = fakePulumi("not-executable", "v3.280.0", 0o644);
  const old = fakePulumi("older", "v3.1.0");
  const good = fakePulumi("newer", "v3.275.0");
  assert.equal(choose({ PATH: [notExecutable, good, old].join(":") }).source, "PATH");
  const choice = choose({ PATH: [old, good].join(":") });
  assert.equal(choice.source, "toolchain");
  assert.match(choice.passedOver ?? "", /older\/pulumi\) is Pulumi CLI v3\.1\.0$/);
});

test("a pulumi whose version cannot be read is passed over; an explicit one hpx cannot run is an error, not passed over", () => {
  const broken = join(dir, "broken");
  mkdirSync(broken);
  writeFileSync(join(broken, "pulumi"), "#!/bin/sh\nexit 1\n", { mode: 0o755 });
  assert.match(choose({ PATH: broken }).warnings[0] ?? "", /is a pulumi whose version could not be read; hpx supports/);
  const old = join(fakePulumi("explicit-old", "v3.269.9"), "pulumi");
  assert.throws(() => choose({ HPX_PULUMI: old, PATH: fakePulumi("fine", "v3.274.1") }), (err: unknown) => {
    assert.ok(err instanceof ToolchainError);
    assert.equal(err.message, `HPX_PULUMI=${old} is Pulumi CLI v3.269.9; hpx supports Pulumi CLI 3.270.0 or newer, before 4.0.0 (tested: 3.274.1)`);
    return true;
  });
  assert.throws(() => choose({ HPX_PULUMI: join(dir, "nothing-here") }), { message: `HPX_PULUMI=${join(dir, "nothing-here")} is not an executable file` });
});

test("the range: its bounds, prereleases before their release, nonsense unsupported", () => {
  const cases: [string, boolean][] = [["3.270.0", true], ["v3.270.0", true], ["3.269.99", false], ["3.270.0-alpha.1", false], ["3.999.0", true], ["3.999.0+dirty", true], ["4.0.0-beta.1", false], ["4.0.0", false], ["v3.274", false], ["", false]];
  assert.deepEqual(cases.map(([v]) => [v, isSupported(v, versions)]), cases);
});

test("versions.env: the tested CLI is in the range, and the range starts no earlier than the SDK hpx uses", () => {
  const v = readVersions();
  assert.ok(isSupported(v.pulumi, v), `${v.pulumi} is not in ${supportedRange(v)}`);
  const sdk: string = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).dependencies["@pulumi/pulumi"];
  // min >= sdk, said with the range check itself: min lies in [sdk, 1000)
  assert.ok(isSupported(v.pulumiSupportedMin, { ...v, pulumiSupportedMin: sdk, pulumiSupportedBelow: "1000.0.0" }), `the range starts before the SDK ${sdk}`);
});

test("the kubernetes plugin: the user's when Pulumi installed exactly that version completely, else the toolchain's", () => {
  const home = join(dir, "pulumi-home");
  const env = { PULUMI_HOME: home };
  const toolchainFile = join(dir, "cache", "pulumi-resource-kubernetes-4.24.1", "bin", "pulumi-resource-kubernetes");
  const choose = () => chooseKubernetesPlugin({ env, version: "4.24.1", toolchainFile });
  assert.deepEqual(choose(), { file: toolchainFile, source: "toolchain", userPlugins: join(home, "plugins"), warnings: [] });

  mkdirSync(join(home, "plugins", "resource-kubernetes-v4.18.0"), { recursive: true });
  writeFileSync(join(home, "plugins", "resource-kubernetes-v4.18.0.lock"), "");
  assert.deepEqual(choose().warnings, [
    `your Pulumi plugins (${join(home, "plugins")}) have kubernetes-v4.18.0, not kubernetes v4.24.1, the version @pulumi/kubernetes asks for: using the toolchain's build (pulumi plugin install resource kubernetes v4.24.1 lets hpx use yours)`,
  ]);

  const mine = join(home, "plugins", "resource-kubernetes-v4.24.1", "pulumi-resource-kubernetes");
  mkdirSync(join(mine, ".."));
  writeFileSync(mine, "#!/bin/sh\n", { mode: 0o755 });
  writeFileSync(join(home, "plugins", "resource-kubernetes-v4.24.1.partial"), "");
  assert.equal(choose().source, "toolchain", "an install still under way is not used");
  rmSync(join(home, "plugins", "resource-kubernetes-v4.24.1.partial"));
  assert.deepEqual(choose(), { file: mine, source: "user", userPlugins: join(home, "plugins"), warnings: [] });
  assert.equal(userPluginDir({}), join(homedir(), ".pulumi", "plugins"));
});
