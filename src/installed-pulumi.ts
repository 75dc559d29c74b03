/**
 * Which Pulumi CLI and which kubernetes resource plugin an engine run uses: one the user
 * installed, when hpx supports its version, else the toolchain's build. Building both
 * from Go sources is the longest part of a fresh set-up (docs/toolchain.md#timings), so a
 * machine that has Pulumi skips it; scripts/setup.sh asks the same questions
 * (scripts/installed-pulumi.ts), so it builds only what hpx would use.
 */
import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { ToolchainError } from "./errors.ts";
import type { ToolVersions } from "./toolchain.ts";

/** Where the chosen Pulumi CLI came from, in the order hpx looks. */
export type PulumiSource = "HPX_PULUMI" | "PATH" | "toolchain";

export interface PulumiChoice {
  /** The `pulumi` executable. */
  bin: string;
  source: PulumiSource;
  /** Its version as `pulumi version` printed it (an installed CLI), or the toolchain's. */
  version: string;
  /** What the user should know about the choice (an unsupported CLI passed over): shown as warnings. */
  warnings: string[];
  /** The installed CLI passed over, described ("the pulumi on PATH (…) is Pulumi CLI v3.1.0"). */
  passedOver?: string;
}

export interface ChoosePulumiOptions {
  /** The environment to read HPX_PULUMI and PATH from. */
  env: Readonly<Record<string, string | undefined>>;
  /** Runs `<bin> version`; undefined when it cannot be run or prints nothing. */
  versionOf: (bin: string) => string | undefined;
  versions: Pick<ToolVersions, "pulumi" | "pulumiSupportedMin" | "pulumiSupportedBelow">;
  /** The toolchain's build (scripts/toolchain.sh pulumi), used when nothing installed is. */
  toolchainBin: string;
}

/** "3.270.0 or newer, before 4.0.0": the one wording of the supported range. */
export function supportedRange(v: ChoosePulumiOptions["versions"]): string {
  return `Pulumi CLI ${v.pulumiSupportedMin} or newer, before ${v.pulumiSupportedBelow} (tested: ${v.pulumi})`;
}

/** [major, minor, patch, isPrerelease] of `v3.274.1` or `3.274.1-alpha.1`; undefined when not a version. */
function parse(version: string): [number, number, number, boolean] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+\S*)?$/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] !== undefined] : undefined;
}

/** Semver order, a prerelease before its release (all that the range check needs). */
function compare(a: [number, number, number, boolean], b: [number, number, number, boolean]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return Number(b[3]) - Number(a[3]);
}

/** Whether hpx runs this Pulumi CLI version. */
export function isSupported(version: string, v: ChoosePulumiOptions["versions"]): boolean {
  const [x, min, below] = [parse(version), parse(v.pulumiSupportedMin), parse(v.pulumiSupportedBelow)];
  if (!x || !min || !below) return false;
  // A prerelease of the upper bound is already that major (the Automation API refuses 4.0.0-beta.1 as it does 4.0.0).
  return compare(x, min) >= 0 && compare([x[0], x[1], x[2], false], below) < 0;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The `pulumi` a shell would run: the first executable one on PATH. */
export function pulumiOnPath(path: string | undefined): string | undefined {
  for (const dir of (path ?? "").split(delimiter)) {
    if (dir === "") continue;
    const bin = join(dir, "pulumi");
    if (isExecutableFile(bin)) return bin;
  }
  return undefined;
}

/**
 * HPX_PULUMI, else the `pulumi` on PATH when hpx supports its version, else the
 * toolchain's build (whether it exists is the caller's question). An explicit setting hpx
 * cannot use is an error, not passed over: the user asked for that one.
 */
export function choosePulumi(o: ChoosePulumiOptions): PulumiChoice {
  const range = supportedRange(o.versions);
  const explicit = o.env.HPX_PULUMI;
  if (explicit) {
    if (!isExecutableFile(explicit)) throw new ToolchainError(`HPX_PULUMI=${explicit} is not an executable file`, undefined, ["set it to a pulumi executable, or unset it"]);
    const version = o.versionOf(explicit);
    if (version === undefined || !isSupported(version, o.versions)) {
      throw new ToolchainError(`HPX_PULUMI=${explicit} is ${version === undefined ? "a Pulumi CLI whose version could not be read" : `Pulumi CLI ${version}`}; hpx supports ${range}`, undefined, [
        "point HPX_PULUMI at a supported pulumi, or unset it to use the one on PATH or the toolchain's",
      ]);
    }
    return { bin: explicit, source: "HPX_PULUMI", version, warnings: [] };
  }
  const toolchain = { bin: o.toolchainBin, source: "toolchain" as const, version: `v${o.versions.pulumi}` };
  const found = pulumiOnPath(o.env.PATH);
  if (found === undefined) return { ...toolchain, warnings: [] };
  const version = o.versionOf(found);
  if (version !== undefined && isSupported(version, o.versions)) return { bin: found, source: "PATH", version, warnings: [] };
  const passedOver = `the pulumi on PATH (${found}) is ${version === undefined ? "a pulumi whose version could not be read" : `Pulumi CLI ${version}`}`;
  return { ...toolchain, passedOver, warnings: [`${passedOver}; hpx supports ${range}: using the toolchain's Pulumi CLI ${toolchain.version} (${o.toolchainBin}) instead`] };
}

/**
 * `<bin> version`, as the Automation API reads it (no update check), or undefined when it
 * fails. Every pulumi command writes a log into `$PULUMI_HOME/logs`: `pulumiHome` (hpx's
 * own) keeps it out of the user's.
 */
export function readPulumiVersion(bin: string, pulumiHome?: string): string | undefined {
  const env = { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true", ...(pulumiHome === undefined ? {} : { PULUMI_HOME: pulumiHome }) };
  try {
    const out = execFileSync(bin, ["version"], { encoding: "utf8", timeout: 30_000, env, stdio: ["ignore", "pipe", "ignore"] });
    return out.trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface PluginChoice {
  /** The `pulumi-resource-kubernetes` executable to install into hpx's PULUMI_HOME. */
  file: string;
  source: "user" | "toolchain";
  /** The user's plugin directory that was looked in. */
  userPlugins: string;
  warnings: string[];
}

/** The user's Pulumi plugin directory: `$PULUMI_HOME/plugins`, default `~/.pulumi/plugins`. */
export function userPluginDir(env: Readonly<Record<string, string | undefined>>): string {
  return join(env.PULUMI_HOME || join(homedir(), ".pulumi"), "plugins");
}

/**
 * The kubernetes plugin at exactly `version` (the one @pulumi/kubernetes asks the engine
 * for) from the user's plugin directory when Pulumi installed it there completely (no
 * `.partial` mark), else the toolchain's build (whether it exists is the caller's question).
 */
export function chooseKubernetesPlugin(o: { env: Readonly<Record<string, string | undefined>>; version: string; toolchainFile: string }): PluginChoice {
  const plugins = userPluginDir(o.env);
  const name = `resource-kubernetes-v${o.version}`;
  const file = join(plugins, name, "pulumi-resource-kubernetes");
  if (isExecutableFile(file) && !existsSync(join(plugins, `${name}.partial`))) return { file, source: "user", userPlugins: plugins, warnings: [] };
  let others: string[] = [];
  try {
    // Pulumi keeps `<dir>.lock` and, while installing, `<dir>.partial` beside each plugin directory.
    others = readdirSync(plugins).filter((d) => d.startsWith("resource-kubernetes-v") && !/\.(lock|partial)$/.test(d) && d !== name);
  } catch {
    // no plugin directory: Pulumi is not set up for this user
  }
  const warnings =
    others.length === 0
      ? []
      : [`your Pulumi plugins (${plugins}) have ${others.map((d) => d.slice("resource-".length)).join(", ")}, not kubernetes v${o.version}, the version @pulumi/kubernetes asks for: using the toolchain's build (pulumi plugin install resource kubernetes v${o.version} lets hpx use yours)`];
  return { file: o.toolchainFile, source: "toolchain", userPlugins: plugins, warnings };
}
