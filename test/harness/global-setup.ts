/**
 * Runs once per `node --test` run (--test-global-setup): one local simulated cluster,
 * one moto server and one temporary Pulumi backend for every integration test, then
 * teardown that leaves nothing running. Test files reach them through the
 * environment set here (the runner's test processes inherit it).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalCluster, localClusterPaths } from "../../src/cluster/local-cluster.ts";
import { startMoto, type MotoServer } from "./moto.ts";

let cluster: LocalCluster | undefined;
let moto: MotoServer | undefined;
let home: string | undefined;

export async function globalSetup(): Promise<void> {
  home = mkdtempSync(join(tmpdir(), "hpx-test-"));
  // Tests get their own HPX_HOME: the user's ~/.hpx and local cluster stay untouched.
  process.env.HPX_HOME = home;
  process.env.HPX_TEST_BACKEND_URL = `file://${join(home, "state")}`;
  process.env.PULUMI_CONFIG_PASSPHRASE = "hpx-test-passphrase";
  const t0 = Date.now();
  try {
    cluster = new LocalCluster(localClusterPaths(home));
    const status = await cluster.up({ onProgress: (m) => process.stderr.write(`[harness] ${m}\n`) });
    process.env.HPX_TEST_KUBECONFIG = status.kubeconfig;
    moto = await startMoto();
    process.env.HPX_TEST_MOTO_URL = moto.url;
  } catch (err) {
    await globalTeardown(); // a failed setup must not leave a cluster running
    throw err;
  }
  process.stderr.write(`[harness] local cluster and moto ready in ${Date.now() - t0} ms (HPX_HOME=${home})\n`);
}

export async function globalTeardown(): Promise<void> {
  await moto?.stop();
  await cluster?.down();
  const leftover = cluster?.processes() ?? [];
  if (home && !process.env.HPX_TEST_KEEP) rmSync(home, { recursive: true, force: true });
  if (leftover.length > 0) throw new Error(`processes left running: ${JSON.stringify(leftover)}`);
}
