/**
 * Helm 4 as the benchmark's peer: a chart whose one template is exactly the objects hpx's
 * builders make for the file, and the helm command lines for each operation.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { stringify } from "yaml";
import { cacheDir, parseVersionsEnv, repoRoot } from "../src/toolchain.ts";

const run = promisify(execFile);

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
  /**
   * Helm's --timeout (its default 5 minutes is shorter than a default-Helm cold up at
   * N=300): e.g. "60m". The benchmark's own limit is --max-seconds-per-tool, not this.
   */
  timeout: string;
}

/** The release's name; with several releases (HelmSplit), `bench-0`, `bench-1`, … */
export const RELEASE = "bench";

const common = (s: HelmSide) => ["--kubeconfig", s.kubeconfig, "-n", s.namespace, "--timeout", s.timeout, ...s.rateFlags];

/** `helm upgrade --install --wait=watcher` (kstatus; what a bare `--wait` means in Helm 4): cold up, the no-op (same chart again) and the change. */
export function upgradeArgs(s: HelmSide, release: string, chart: string): string[] {
  return ["upgrade", "--install", release, chart, "--wait=watcher", ...common(s)];
}

/** `helm uninstall --wait`: the objects are gone; the pods are waited for apart (bench/floor.ts --wait gone). */
export function uninstallArgs(s: HelmSide, release: string): string[] {
  return ["uninstall", release, "--wait=watcher", ...common(s)];
}

/**
 * Helm's default storage (HELM_DRIVER=secret) keeps each revision of a release in one
 * Secret, and the API server refuses a Secret whose data is over 1 MiB.
 */
export const SECRET_LIMIT_BYTES = 1024 * 1024;
/** What the benchmark allows a release: 1 % below the limit (Node's gzip and Go's differ by a few bytes). */
export const RELEASE_BUDGET_BYTES = Math.floor(SECRET_LIMIT_BYTES * 0.99);

/**
 * The bytes Helm's Secret driver would store for a release of `chart`: the release as
 * JSON (chart, its templates and the rendered manifest), gzipped at best compression,
 * base64 (helm.sh/helm/v4 pkg/storage/driver/util.go, encodeRelease). The release is
 * Helm's own, from a client-side dry run (no cluster needed).
 */
export async function storedReleaseBytes(helm: string, chart: string, namespace: string): Promise<number> {
  const { stdout } = await run(helm, ["install", RELEASE, chart, "--dry-run=client", "-n", namespace, "-o", "json"], { maxBuffer: 1024 * 1024 * 1024 });
  const release = JSON.parse(stdout) as { info: { status: string; description: string } };
  // What an install stores instead of the dry run's words (same length within a few bytes).
  release.info.status = "deployed";
  release.info.description = "Install complete";
  return gzipSync(JSON.stringify(release), { level: 9 }).toString("base64").length;
}

/** How the benchmark's N processes are split into Helm releases (one, when it fits in a Secret). */
export interface HelmSplit {
  n: number;
  releases: number;
  processes_per_release: number;
  /** Stored size of the one-release chart of all N processes, in bytes. */
  one_release_bytes: number;
  /** Stored size of the largest release actually used. */
  release_bytes: number;
  /** Why the split, when there is one. */
  reason?: string;
}

/**
 * One release when it fits in a Secret, else the fewest releases of equal numbers of
 * processes that do (as a team does when its release outgrows the Secret: several
 * releases, upgraded in parallel, as helmfile does). `forced`: at most this many
 * processes per release (--helm-release-processes), fitting or not.
 */
export async function splitReleases(
  n: number,
  sizeOf: (processes: number) => Promise<number>,
  forced?: number,
): Promise<HelmSplit> {
  const whole = await sizeOf(n);
  if (forced === undefined && whole <= RELEASE_BUDGET_BYTES) return { n, releases: 1, processes_per_release: n, one_release_bytes: whole, release_bytes: whole };
  let per = forced ?? Math.floor((n * RELEASE_BUDGET_BYTES * 0.9) / whole);
  let bytes = per >= n ? whole : await sizeOf(per);
  while (forced === undefined && bytes > RELEASE_BUDGET_BYTES) {
    per = Math.floor(per * 0.8);
    bytes = await sizeOf(per);
  }
  per = Math.min(per, n);
  const releases = Math.ceil(n / per);
  const reason =
    forced !== undefined
      ? `--helm-release-processes ${forced}`
      : `one release of ${n} processes would store ${whole} bytes, above the Secret limit of ${SECRET_LIMIT_BYTES} (Helm's default storage driver)`;
  return { n, releases, processes_per_release: per, one_release_bytes: whole, release_bytes: bytes, reason };
}

/** Helm's cache, config and data under `dir`, so a run never reads or writes the user's own. */
export function helmEnv(dir: string): Record<string, string> {
  return { HELM_CACHE_HOME: join(dir, "cache"), HELM_CONFIG_HOME: join(dir, "config"), HELM_DATA_HOME: join(dir, "data") };
}
