/**
 * For scripts/setup.sh: which of the toolchain's Pulumi parts this machine still needs,
 * asked as hpx asks at run time (src/installed-pulumi.ts), so set-up builds only what hpx
 * would run. Prints the parts to build (`pulumi`, `kubernetes-plugin`, or nothing) on
 * stdout and why on stderr. Needs nothing but Node.js: it runs before `npm ci`.
 */
import { join } from "node:path";
import { HpxError } from "../src/errors.ts";
import { chooseKubernetesPlugin, choosePulumi, readPulumiVersion } from "../src/installed-pulumi.ts";
import { toolchain } from "../src/toolchain.ts";

const log = (line: string) => process.stderr.write(`[setup] ${line}\n`);
const tools = toolchain();
const v = tools.versions;
const parts: string[] = [];
try {
  const cli = choosePulumi({ env: process.env, versionOf: (bin) => readPulumiVersion(bin, tools.pulumiHome), versions: v, toolchainBin: join(tools.pulumiBinDir, "pulumi") });
  for (const warning of cli.warnings) log(`warning: ${warning}`);
  if (cli.source === "toolchain") {
    parts.push("pulumi");
    log(`pulumi: no installed Pulumi CLI hpx supports: using the toolchain's v${v.pulumi} (built once)`);
  } else {
    log(`pulumi: using the installed Pulumi CLI ${cli.version} (${cli.bin}, from ${cli.source}): not building it`);
  }
  const plugin = chooseKubernetesPlugin({ env: process.env, version: v.pulumiKubernetes, toolchainFile: "(the toolchain's build)" });
  for (const warning of plugin.warnings) log(`warning: ${warning}`);
  if (plugin.source === "toolchain") {
    parts.push("kubernetes-plugin");
    log(`kubernetes-plugin: v${v.pulumiKubernetes} is not in your Pulumi plugins (${plugin.userPlugins}): using the toolchain's (built once)`);
  } else {
    log(`kubernetes-plugin: using v${v.pulumiKubernetes} from your Pulumi plugins (${plugin.file}): not building it`);
  }
} catch (err) {
  if (!(err instanceof HpxError)) throw err;
  log(`error: ${err.message}`);
  for (const hint of err.hints) log(`  ${hint}`);
  process.exit(1);
}
process.stdout.write(parts.join(" ") + "\n");
