/**
 * The npm package as users install it, built, packed and installed once for both tests
 * (a build, a pack and an `npm install` take ~37 s here): on a machine set up by hpx's
 * scripts, and on one that already has Pulumi (issue 20, point 5): a `pulumi` on PATH, the
 * kubernetes plugin in the user's Pulumi plugin directory, a Node.js from elsewhere (nvm,
 * a distribution) and no toolchain at all. The package runs up and destroy there and
 * nothing is built; set-up says it uses the installed Pulumi.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { AppsV1Api, CoreV1Api } from "@kubernetes/client-node";
import { beforeAll, test } from "vitest";
import { cacheDir as toolchainCache, repoRoot, toolchain } from "../src/toolchain.ts";
import { harnessEnv, testDir } from "./harness/env.ts";
import { packAndInstall, type Packed } from "./harness/packed.ts";
import { adminConfig } from "./harness/project.ts";

let packed: Packed;
beforeAll(() => {
  packed = packAndInstall(testDir("pack"));
}, 300_000);

/** A directory of the installed package's project, where `npx hpx` finds the package. */
function inApp(name: string): string {
  const dir = join(packed.app, name);
  mkdirSync(dir);
  return dir;
}

test("npm pack gives a tarball that installs into an empty directory, where npx hpx --version, schema and preview work", async () => {
  const { tarball } = packed;
  const empty = inApp("fresh");
  assert.match(basename(tarball), /^hpx-\d+\.\d+\.\d+\.tgz$/);
  const listing = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
  assert.ok(listing.includes("package/dist/main.js") && listing.includes("package/bin/hpx"), "ships the compiled JavaScript and its launcher");
  assert.ok(!listing.some((f) => f.startsWith("package/src/") || f.startsWith("package/test/")), "no sources or tests");

  const npx = (...args: string[]) => spawnSync("npx", ["--no-install", "hpx", ...args], { cwd: empty, encoding: "utf8", env: { ...process.env, CI: "true" } });

  const version = npx("--version");
  assert.deepEqual([version.status, version.stdout], [0, "0.1.0\n"], version.stderr);
  const schema = npx("schema");
  assert.equal(schema.status, 0, schema.stderr);
  assert.equal(JSON.parse(schema.stdout).title, "hpx processes file");

  await adminConfig().makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: "packaged" } } });
  mkdirSync(join(empty, "stacks"));
  writeFileSync(join(empty, "stacks", "packaged.yml"), `backend: ${harnessEnv().backendUrl}\nruntime: {runtime_type: local, namespace: packaged}\n`);
  writeFileSync(join(empty, "web.yml"), "process_name: web\ncontainer: {image_uri: nginxdemos/hello}\n");
  const preview = npx("preview", "web.yml", "-s", "packaged");
  assert.equal(preview.status, 0, preview.stderr);
  assert.equal(preview.stdout, "+  web  create\n1 to create, 0 to update, 0 to replace, 0 to delete\n");
});

/** Every file under `dir` with its size: what a run wrote there shows as a difference. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(`${relative(dir, p)} ${statSync(p).size}`);
    }
  };
  walk(dir);
  return out.sort();
}

test("with Pulumi installed and no toolchain, the npm package runs up and destroy on the PATH's Node.js, and nothing is built", async () => {
  const tools = toolchain();
  const v = tools.versions;
  const out = testDir("installed-pulumi");
  const app = inApp("installed-pulumi");

  // The user's Pulumi, as its installer leaves it: the CLI in a bin directory on PATH and
  // the kubernetes plugin installed into a plugin directory of their own.
  const userBin = join(out, "user", "bin");
  mkdirSync(userBin, { recursive: true });
  copyFileSync(join(tools.pulumiBinDir, "pulumi"), join(userBin, "pulumi"));
  const pulumiHome = join(out, "user", ".pulumi");
  const pluginBuild = join(toolchainCache(), `pulumi-resource-kubernetes-${v.pulumiKubernetes}`, "bin", "pulumi-resource-kubernetes");
  execFileSync(join(userBin, "pulumi"), ["plugin", "install", "resource", "kubernetes", `v${v.pulumiKubernetes}`, "--file", pluginBuild, "--non-interactive"], {
    env: { ...process.env, PULUMI_HOME: pulumiHome, PULUMI_SKIP_UPDATE_CHECK: "true" },
    stdio: "pipe",
  });
  const userPulumiBefore = tree(pulumiHome);
  // The user's Node.js on PATH (the toolchain's, as a user's nvm would put it there); the
  // cache is empty, so bin/hpx cannot find the toolchain's Node.js or Pulumi there.
  const nodeBin = join(toolchainCache(), `node-${v.node}`, "bin");
  const cache = join(out, "empty-cache");
  mkdirSync(cache);
  const env = {
    ...process.env,
    PATH: `${userBin}:${nodeBin}:/usr/local/bin:/usr/bin:/bin`,
    HPX_CACHE: cache,
    HPX_HOME: join(out, "hpx-home"),
    PULUMI_HOME: pulumiHome,
    HPX_PULUMI: "",
    HPX_NODE: "",
    CI: "true",
  };

  // scripts/setup.sh's question: it would build neither Pulumi part.
  const setup = spawnSync(join(nodeBin, "node"), [join(repoRoot, "scripts", "installed-pulumi.ts")], { env, encoding: "utf8" });
  assert.equal(setup.status, 0, setup.stderr);
  assert.equal(setup.stdout, "\n", "no Pulumi part to build");
  assert.equal(
    setup.stderr,
    `[setup] pulumi: using the installed Pulumi CLI v${v.pulumi} (${join(userBin, "pulumi")}, from PATH): not building it\n` +
      `[setup] kubernetes-plugin: using v${v.pulumiKubernetes} from your Pulumi plugins (${join(pulumiHome, "plugins", `resource-kubernetes-v${v.pulumiKubernetes}`, "pulumi-resource-kubernetes")}): not building it\n`,
  );

  const namespace = "installed-pulumi";
  await adminConfig().makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
  mkdirSync(join(app, "stacks"));
  writeFileSync(
    join(app, "stacks", "mine.yml"),
    `backend: file://${join(out, "state")}\nruntime: {runtime_type: kubeconfig, kubeconfig: ${harnessEnv().kubeconfig}, namespace: ${namespace}}\n`,
  );
  writeFileSync(join(app, "web.yml"), "process_name: web\ncontainer: {image_uri: nginxdemos/hello}\n");
  const npx = (...args: string[]) => spawnSync("npx", ["--no-install", "hpx", ...args], { cwd: app, encoding: "utf8", env });

  const version = npx("--version");
  assert.deepEqual([version.status, version.stdout], [0, "0.1.0\n"], version.stderr);
  const up = npx("up", "web.yml", "-s", "mine", "--yes", "--verbose");
  assert.equal(up.status, 0, up.stderr);
  assert.ok(up.stderr.includes(`[hpx] pulumi: ${join(userBin, "pulumi")} (v${v.pulumi}, from PATH)\n`), up.stderr);
  const apps = adminConfig().makeApiClient(AppsV1Api);
  assert.deepEqual((await apps.listNamespacedDeployment({ namespace })).items.map((d) => d.metadata?.name), ["web"]);
  // The engine ran the user's plugin, copied into hpx's own Pulumi home; the user's stayed as it was.
  const copied = join(out, "hpx-home", "pulumi", "plugins", `resource-kubernetes-v${v.pulumiKubernetes}`, "pulumi-resource-kubernetes");
  assert.equal(statSync(copied).size, statSync(pluginBuild).size);
  assert.deepEqual(tree(pulumiHome), userPulumiBefore, "nothing written into the user's PULUMI_HOME");

  const destroy = npx("destroy", "-s", "mine", "--yes");
  assert.equal(destroy.status, 0, destroy.stderr);
  assert.deepEqual((await apps.listNamespacedDeployment({ namespace })).items, []);
  assert.deepEqual(readdirSync(cache), [], "nothing was built into the cache");

  // A pulumi on PATH hpx does not support is named, with the versions hpx supports and
  // what it would use instead; here that is missing too, so the run stops, saying so.
  const oldBin = join(out, "old", "bin");
  mkdirSync(oldBin, { recursive: true });
  writeFileSync(join(oldBin, "pulumi"), "#!/bin/sh\necho v3.100.0\n", { mode: 0o755 });
  const refused = spawnSync("npx", ["--no-install", "hpx", "preview", "web.yml", "-s", "mine"], { cwd: app, encoding: "utf8", env: { ...env, PATH: `${oldBin}:${env.PATH}` } });
  assert.equal(refused.status, 1, refused.stderr);
  assert.match(refused.stderr, new RegExp(`no Pulumi CLI hpx can run: the pulumi on PATH \\(${oldBin}/pulumi\\) is Pulumi CLI v3\\.100\\.0, HPX_PULUMI is not set, and the toolchain's build \\(${cache}/pulumi-${v.pulumi}/bin/pulumi\\) is missing`));
  assert.ok(refused.stderr.includes(`Pulumi CLI ${v.pulumiSupportedMin} or newer, before ${v.pulumiSupportedBelow}`), refused.stderr);

  // A Node.js too old for hpx, alone on PATH (the machine's /usr/bin/node may be one): a clear
  // error, not a crash in a library. Run bin/hpx directly: npx itself would need a newer Node.
  const oldNode = join(out, "old-node", "bin");
  mkdirSync(oldNode, { recursive: true });
  writeFileSync(join(oldNode, "node"), "#!/bin/sh\necho v22.18.0\n", { mode: 0o755 });
  const tooOld = spawnSync(join(packed.app, "node_modules", ".bin", "hpx"), ["--version"], { encoding: "utf8", env: { ...env, PATH: `${oldNode}:/usr/bin:/bin` } });
  assert.equal(tooOld.status, 1);
  assert.match(tooOld.stderr, new RegExp(`^hpx: needs Node.js >= 22\\.19; ${oldNode}/node is v22\\.18\\.0\\.\\n`));
});
