import { existsSync, readFileSync } from "node:fs";
import { hpxHome } from "./paths.ts";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { ToolchainError } from "./errors.ts";

/** Repository root: hpx runs from its checkout (bin/hpx), so tools are found relative to it. */
export const repoRoot = resolve(import.meta.dirname, "..");

/** Parses toolchain/versions.env (KEY=VALUE lines, `#` comments). */
export function parseVersionsEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) throw new Error(`versions.env: not KEY=VALUE: ${line}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

export interface ToolVersions {
  pulumi: string;
  /** Installed Pulumi CLIs hpx runs: at least this version... */
  pulumiSupportedMin: string;
  /** ...and below this one (src/installed-pulumi.ts). */
  pulumiSupportedBelow: string;
  pulumiKubernetes: string;
  node: string;
  kubernetes: string;
  etcd: string;
  kwok: string;
  moto: string;
  awscli: string;
}

export function readVersions(file = join(repoRoot, "toolchain", "versions.env")): ToolVersions {
  const env = parseVersionsEnv(readFileSync(file, "utf8"));
  const get = (key: string): string => {
    const value = env[key];
    if (value === undefined) throw new Error(`${file}: ${key} is missing`);
    return value;
  };
  return {
    pulumi: get("PULUMI_VERSION"),
    pulumiSupportedMin: get("PULUMI_SUPPORTED_MIN"),
    pulumiSupportedBelow: get("PULUMI_SUPPORTED_BELOW"),
    pulumiKubernetes: get("PULUMI_KUBERNETES_VERSION"),
    node: get("NODE_VERSION"),
    kubernetes: get("KUBERNETES_VERSION"),
    etcd: get("ETCD_VERSION"),
    kwok: get("KWOK_VERSION"),
    moto: get("MOTO_VERSION"),
    awscli: get("AWSCLI_VERSION"),
  };
}

/** Where scripts/toolchain.sh puts its parts: HPX_CACHE, else ~/.cache/hpx. */
export function cacheDir(): string {
  return process.env.HPX_CACHE ?? join(homedir(), ".cache", "hpx");
}

/** Absolute paths of every tool scripts/toolchain.sh provides. */
export interface Toolchain {
  versions: ToolVersions;
  pulumiBinDir: string;
  /** PULUMI_HOME for every engine run: holds the plugin the toolchain installed. */
  pulumiHome: string;
  kubeBinDir: string;
  /** kubectl at the cluster's version (tests, benchmarks, README checks). */
  kubectl: string;
  etcd: string;
  kwok: string;
  kwokctl: string;
  /** kwokctl's default Stages for the binary runtime (needed when a cluster adds its own). */
  kwokDefaultStages: string;
  /** Python of moto's virtualenv: run as `python -m moto.server`. */
  motoPython: string;
  /** Python of aws-cli's virtualenv: run as `python -m awscli` (tests only). */
  awscliPython: string;
}

export function toolchain(versions = readVersions()): Toolchain {
  const cache = cacheDir();
  const kube = join(cache, `kubernetes-${versions.kubernetes}`, "bin");
  const kwok = join(cache, `kwok-${versions.kwok}`, "bin");
  return {
    versions,
    pulumiBinDir: join(cache, `pulumi-${versions.pulumi}`, "bin"),
    pulumiHome: join(hpxHome(), "pulumi"),
    kubeBinDir: kube,
    kubectl: join(cache, `kubectl-${versions.kubernetes}`, "bin", "kubectl"),
    etcd: join(cache, `etcd-${versions.etcd}`, "bin", "etcd"),
    kwok: join(kwok, "kwok"),
    kwokctl: join(kwok, "kwokctl"),
    kwokDefaultStages: join(cache, `kwok-${versions.kwok}`, "stages"),
    motoPython: join(cache, `moto-${versions.moto}`, "bin", "python"),
    awscliPython: join(cache, `awscli-${versions.awscli}`, "bin", "python"),
  };
}

/** Fails fast, naming the part to build, when a tool is absent. */
export function requireTool(path: string, part: string): string {
  if (!existsSync(path)) {
    throw new ToolchainError(`${path} is missing`, undefined, [`build it: bash scripts/toolchain.sh ${part}`]);
  }
  return path;
}
