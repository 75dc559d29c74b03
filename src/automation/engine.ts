import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { ToolchainError } from "../errors.ts";
import { requireTool, toolchain, type Toolchain } from "../toolchain.ts";

const run = promisify(execFile);

/**
 * The environment every engine run gets. The network is closed, so the engine must
 * never try to download a plugin or check for updates: a missing plugin fails fast.
 */
export function engineEnv(tools: Toolchain): Record<string, string> {
  return {
    PULUMI_HOME: tools.pulumiHome,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
  };
}

/** The Pulumi CLI the toolchain built; the Automation API's version check stays on. */
export async function pulumiCommand(tools: Toolchain = toolchain()): Promise<pulumi.automation.PulumiCommand> {
  const bin = requireTool(join(tools.pulumiBinDir, "pulumi"), "pulumi");
  return pulumi.automation.PulumiCommand.get({ root: dirname(dirname(bin)) });
}

function kubernetesPluginBuild(tools: Toolchain): string {
  const cache = dirname(dirname(tools.pulumiBinDir));
  return join(cache, `pulumi-resource-kubernetes-${tools.versions.pulumiKubernetes}`, "bin", "pulumi-resource-kubernetes");
}

/**
 * Puts the toolchain's kubernetes resource plugin into hpx's PULUMI_HOME plugin
 * cache (a copy, done once per PULUMI_HOME), at exactly the version @pulumi/kubernetes asks for.
 */
export async function ensureKubernetesPlugin(tools: Toolchain = toolchain()): Promise<void> {
  const v = tools.versions.pulumiKubernetes;
  const installed = join(tools.pulumiHome, "plugins", `resource-kubernetes-v${v}`, "pulumi-resource-kubernetes");
  if (existsSync(installed)) return;
  const build = kubernetesPluginBuild(tools);
  if (!existsSync(build)) {
    const note = join(dirname(dirname(dirname(build))), `pulumi-resource-kubernetes-${v}.unavailable`);
    const why = existsSync(note) ? [`the toolchain could not get it: ${readFileSync(note, "utf8").trim()}`] : [];
    throw new ToolchainError(`the kubernetes resource plugin v${v} is not built (${build} is missing)`, undefined, [
      ...why,
      "build it: bash scripts/toolchain.sh kubernetes-plugin",
    ]);
  }
  const pulumiBin = requireTool(join(tools.pulumiBinDir, "pulumi"), "pulumi");
  await run(pulumiBin, ["plugin", "install", "resource", "kubernetes", `v${v}`, "--file", build, "--non-interactive"], {
    env: { ...process.env, ...engineEnv(tools) },
  });
}
