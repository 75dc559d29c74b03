import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { parse as semverParse, satisfies as semverSatisfies, type SemVer } from "semver";
import { ToolchainError } from "../errors.ts";
import { choosePulumi, chooseKubernetesPlugin, readPulumiVersion, supportedRange, type PulumiChoice } from "../installed-pulumi.ts";
import { hpxHome } from "../paths.ts";
import { installPluginFile } from "./plugin-install.ts";
import { rememberedVersion } from "./pulumi-version-cache.ts";
import { pulumiSdk } from "./pulumi-sdk.ts";
import { toolchain, type Toolchain } from "../toolchain.ts";

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

/** The Pulumi CLI this process chose, with what it was chosen from (one choice per process). */
let chosen: { key: string; choice: PulumiChoice } | undefined;

/**
 * The Pulumi CLI every engine run uses: HPX_PULUMI, else a supported `pulumi` on PATH,
 * else the toolchain's build (installed-pulumi.ts). Chosen once per process, so `pulumi
 * version` runs once and a passed-over CLI is named once, on stderr, whatever the output mode.
 */
export function enginePulumi(tools: Toolchain = toolchain()): PulumiChoice {
  const toolchainBin = join(tools.pulumiBinDir, "pulumi");
  const key = [toolchainBin, process.env.HPX_PULUMI, process.env.PATH].join("\0");
  if (chosen?.key === key) return chosen.choice;
  const versionOf = (bin: string) => cliVersion(bin, tools);
  const choice = choosePulumi({ env: process.env, versionOf, versions: tools.versions, toolchainBin });
  if (choice.source === "toolchain" && !existsSync(toolchainBin)) {
    const found = choice.passedOver ?? "there is no pulumi on PATH";
    throw new ToolchainError(`no Pulumi CLI hpx can run: ${found}, HPX_PULUMI is not set, and the toolchain's build (${toolchainBin}) is missing`, undefined, [
      `install a Pulumi CLI hpx supports (${supportedRange(tools.versions)}) on PATH, or set HPX_PULUMI to one`,
      "or build it: bash scripts/toolchain.sh pulumi",
    ]);
  }
  for (const warning of choice.warnings) process.stderr.write(`hpx: warning: ${warning}\n`);
  chosen = { key, choice };
  return choice;
}

/**
 * The Automation API finds its CLI as `<root>/bin/pulumi`. A pulumi elsewhere (the release
 * archive unpacks to `pulumi/pulumi`) gets a link of that shape in hpx's home.
 */
function pulumiRoot(bin: string): string {
  if (basename(bin) === "pulumi" && basename(dirname(bin)) === "bin") return dirname(dirname(bin));
  const root = join(hpxHome(), "pulumi-cli", createHash("sha256").update(resolve(bin)).digest("hex").slice(0, 16));
  const link = join(root, "bin", "pulumi");
  if (!existsSync(link)) {
    mkdirSync(dirname(link), { recursive: true });
    try {
      symlinkSync(resolve(bin), link);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err; // another hpx made it meanwhile
    }
  }
  return root;
}

/** `pulumi version`'s answer for a CLI, asked once per CLI file and kept in hpx's home (pulumi-version-cache.ts). */
const cliVersion = (bin: string, tools: Toolchain) => rememberedVersion(bin, join(hpxHome(), "cache", "pulumi-versions"), (b) => readPulumiVersion(b, tools.pulumiHome));

/**
 * The Automation API's command for each CLI this process used, by the CLI's path and
 * modification time (a CLI replaced in place under `hpx serve` is checked again).
 */
const commands = new Map<string, Promise<pulumi.automation.PulumiCommand>>();

/**
 * The chosen Pulumi CLI for the Automation API. Its version comes from the answer kept for
 * that CLI file (pulumi-version-cache.ts), so no `pulumi version` runs once a CLI has been
 * asked: PulumiCommand.get runs one on every call (~0.25 s), which every hpx command that
 * opened a stack paid, and a sharded update once for the root and again for each shard.
 */
export async function pulumiCommand(tools: Toolchain = toolchain(), log?: (line: string) => void): Promise<pulumi.automation.PulumiCommand> {
  const choice = enginePulumi(tools);
  log?.(`pulumi: ${choice.bin} (${choice.version}, ${choice.source === "toolchain" ? "the toolchain's build" : `from ${choice.source}`})`);
  const key = `${resolve(choice.bin)}\0${statSync(choice.bin, { throwIfNoEntry: false })?.mtimeMs ?? ""}`;
  let command = commands.get(key);
  if (!command) {
    command = checkedCommand(choice.bin, tools);
    commands.set(key, command);
    // A failed check is said, and tried again by the next run, not remembered.
    command.catch(() => commands.delete(key));
  }
  return command;
}

async function checkedCommand(bin: string, tools: Toolchain): Promise<pulumi.automation.PulumiCommand> {
  const { automation } = await pulumiSdk();
  const root = pulumiRoot(bin);
  const known = cliVersion(bin, tools);
  const version = known === undefined ? null : semverParse(known);
  if (version && semverSatisfies(version, `>=${tools.versions.pulumiSupportedMin} <${tools.versions.pulumiSupportedBelow}`)) return knownCommand(automation, resolve(join(root, "bin", "pulumi")), version);
  // Not a version hpx can read: the Automation API's own check says what is wrong.
  // It runs `pulumi version` in this process's environment, and every pulumi command
  // writes a log into $PULUMI_HOME/logs: point it at hpx's own home meanwhile, so the
  // user's ~/.pulumi is never written (engine runs get hpx's through engineEnv).
  const userHome = process.env.PULUMI_HOME;
  process.env.PULUMI_HOME = tools.pulumiHome;
  try {
    return await automation.PulumiCommand.get({ root });
  } finally {
    if (userHome === undefined) delete process.env.PULUMI_HOME;
    else process.env.PULUMI_HOME = userHome;
  }
}

/**
 * The Automation API's command for a CLI whose version is known, as PulumiCommand.get
 * makes it after its `pulumi version` (its constructor is not in the SDK's types).
 * workspace.test.ts checks that both give the same command.
 */
export function knownCommand(automation: typeof pulumi.automation, command: string, version: SemVer): pulumi.automation.PulumiCommand {
  const Command = automation.PulumiCommand as unknown as new (command: string, version: SemVer) => pulumi.automation.PulumiCommand;
  return new Command(command, version);
}

function kubernetesPluginBuild(tools: Toolchain): string {
  const cache = dirname(dirname(tools.pulumiBinDir));
  return join(cache, `pulumi-resource-kubernetes-${tools.versions.pulumiKubernetes}`, "bin", "pulumi-resource-kubernetes");
}

/**
 * Puts the kubernetes resource plugin, at exactly the version @pulumi/kubernetes asks for,
 * into hpx's own PULUMI_HOME (a copy, once per PULUMI_HOME): the one in the user's Pulumi
 * plugin directory when it is there, else the toolchain's build. Engine runs keep hpx's
 * PULUMI_HOME, so nothing is ever written into the user's ~/.pulumi.
 */
export async function ensureKubernetesPlugin(tools: Toolchain = toolchain()): Promise<void> {
  const v = tools.versions.pulumiKubernetes;
  const installed = join(tools.pulumiHome, "plugins", `resource-kubernetes-v${v}`, "pulumi-resource-kubernetes");
  if (existsSync(installed)) return;
  const plugin = chooseKubernetesPlugin({ env: process.env, version: v, toolchainFile: kubernetesPluginBuild(tools) });
  if (plugin.source === "toolchain" && !existsSync(plugin.file)) {
    const note = join(dirname(dirname(dirname(plugin.file))), `pulumi-resource-kubernetes-${v}.unavailable`);
    const why = existsSync(note) ? [`the toolchain could not get it: ${readFileSync(note, "utf8").trim()}`] : [];
    throw new ToolchainError(`the kubernetes resource plugin v${v} is neither in your Pulumi plugins (${plugin.userPlugins}) nor built (${plugin.file} is missing)`, undefined, [
      ...why,
      `install it for your Pulumi: pulumi plugin install resource kubernetes v${v}`,
      "or build it: bash scripts/toolchain.sh kubernetes-plugin",
    ]);
  }
  for (const warning of plugin.warnings) process.stderr.write(`hpx: warning: ${warning}\n`);
  installPluginFile(join(tools.pulumiHome, "plugins"), "resource", "kubernetes", v, plugin.file);
}
