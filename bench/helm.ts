/**
 * Helm 4 as the benchmark's peer: a chart whose one template is exactly the objects hpx's
 * builders make for the file, and the helm command lines for each operation.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { cacheDir, parseVersionsEnv, repoRoot } from "../src/toolchain.ts";

/** The toolchain's Helm (`bash scripts/toolchain.sh helm`, a bench-only part). */
export function helmBinary(): string {
  const version = parseVersionsEnv(readFileSync(join(repoRoot, "toolchain", "versions.env"), "utf8")).HELM_VERSION;
  if (!version) throw new Error("toolchain/versions.env: HELM_VERSION is missing");
  return join(cacheDir(), `helm-${version}`, "bin", "helm");
}

/**
 * Writes a chart at `dir` rendering `objects` and nothing else. The objects are plain YAML
 * (no template action), so the rendered manifest is byte for byte what kubectl and the
 * floor apply; their namespace is in each object, as hpx's builders set it.
 */
export function writeChart(dir: string, objects: object[]): string {
  mkdirSync(join(dir, "templates"), { recursive: true });
  writeFileSync(join(dir, "Chart.yaml"), stringify({ apiVersion: "v2", name: "hpx-bench", version: "0.1.0", description: "hpx's objects for the benchmark's file" }));
  writeFileSync(join(dir, "templates", "objects.yaml"), objects.map((o) => stringify(o)).join("---\n"));
  return dir;
}

/** How one Helm side runs: its namespace, and the client rate limit flags (none: Helm's defaults). */
export interface HelmSide {
  kubeconfig: string;
  namespace: string;
  /** e.g. ["--qps", "200", "--burst-limit", "400"]; empty for Helm's defaults. */
  rateFlags: string[];
}

const RELEASE = "bench";
// Helm's --wait gives up after 5 minutes by default: a large N needs longer, as hpx's waits have.
const TIMEOUT = ["--timeout", "60m"];

const common = (s: HelmSide) => ["--kubeconfig", s.kubeconfig, "-n", s.namespace, ...s.rateFlags];

/** `helm upgrade --install --wait=watcher` (kstatus; what a bare `--wait` means in Helm 4): cold up, the no-op (same chart again) and the change. */
export function upgradeArgs(s: HelmSide, chart: string): string[] {
  return ["upgrade", "--install", RELEASE, chart, "--wait=watcher", ...TIMEOUT, ...common(s)];
}

/** `helm uninstall --wait`: the objects are gone; the pods are waited for apart (bench/floor.ts --wait gone). */
export function uninstallArgs(s: HelmSide): string[] {
  return ["uninstall", RELEASE, "--wait=watcher", ...TIMEOUT, ...common(s)];
}

/** Helm's cache, config and data under `dir`, so a run never reads or writes the user's own. */
export function helmEnv(dir: string): Record<string, string> {
  return { HELM_CACHE_HOME: join(dir, "cache"), HELM_CONFIG_HOME: join(dir, "config"), HELM_DATA_HOME: join(dir, "data") };
}
