/**
 * Runs once per `node --test` run (--test-global-setup): one local simulated cluster,
 * one moto server and one temporary Pulumi backend for every integration test, then
 * teardown that leaves nothing running. Test files reach them through the
 * environment set here (the runner's test processes inherit it).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalCluster, localClusterPaths } from "../../src/cluster/local-cluster.ts";
import { KubeConfig } from "@kubernetes/client-node";
import { endRunOnSignal } from "./interrupted-run.ts";
import { startMoto, type MotoServer } from "./moto.ts";
import { startTokenWebhook, webhookKubeconfig, type TokenWebhook } from "./token-webhook.ts";

/** The EKS cluster name the local API server plays (created in moto by the EKS tests). */
export const TEST_EKS_CLUSTER = "hpx-test-eks";

let cluster: LocalCluster | undefined;
let moto: MotoServer | undefined;
let webhook: TokenWebhook | undefined;
let home: string | undefined;

export async function globalSetup(): Promise<void> {
  home = mkdtempSync(join(tmpdir(), "hpx-test-"));
  // Tests get their own HPX_HOME: the user's ~/.hpx and local cluster stay untouched.
  process.env.HPX_HOME = home;
  endRunOnSignal(() => cluster?.processes().map((c) => c.pid) ?? [], home);
  // Made here: hpx makes a file backend's directory itself, but a test that drives the
  // Automation API directly (pulumi-chain) would otherwise pass only after one that ran hpx.
  mkdirSync(join(home, "state"), { mode: 0o700 });
  process.env.HPX_TEST_BACKEND_URL = `file://${join(home, "state")}`;
  process.env.PULUMI_CONFIG_PASSPHRASE = "hpx-test-passphrase";
  const t0 = Date.now();
  try {
    moto = await startMoto();
    process.env.HPX_TEST_MOTO_URL = moto.url;
    const paths = localClusterPaths(home);
    // EKS authentication for the local API server: bearer tokens go to the webhook;
    // RBAC authorization is on. The admin client certificate keeps working.
    webhook = await startTokenWebhook({
      motoUrl: moto.url,
      cluster: TEST_EKS_CLUSTER,
      admin: () => {
        const kc = new KubeConfig();
        kc.loadFromFile(paths.kubeconfig);
        return kc;
      },
    });
    const webhookConfig = join(home, "token-webhook.kubeconfig");
    writeFileSync(webhookConfig, webhookKubeconfig(webhook.url));
    cluster = new LocalCluster(paths);
    const status = await cluster.up({
      onProgress: (m) => process.stderr.write(`[harness] ${m}\n`),
      authorization: true,
      // Every request is logged, so tests can count what a command asked (scaling.test.ts).
      auditPolicy: join(import.meta.dirname, "..", "..", "bench", "audit-policy.yaml"),
      // Pods of image registry.invalid/hpx-test/crash-loop crash forever (readiness tests).
      stages: [join(import.meta.dirname, "..", "fixtures", "kwok", "crash-loop-stage.yaml")],
      extraArgs: [
        `kube-apiserver=authentication-token-webhook-config-file=${webhookConfig}`,
        "kube-apiserver=authentication-token-webhook-version=v1",
        "kube-apiserver=authentication-token-webhook-cache-ttl=0s",
        // The audit log is read by offset (scaling.test.ts): never rotated during the run.
        "kube-apiserver=audit-log-maxsize=0",
      ],
    });
    process.env.HPX_TEST_KUBECONFIG = status.kubeconfig;
    process.env.HPX_TEST_WEBHOOK_URL = webhook.url;
    process.env.HPX_TEST_AUDIT_LOG = cluster.auditLogPath();
  } catch (err) {
    await globalTeardown(); // a failed setup must not leave a cluster running
    throw err;
  }
  process.stderr.write(`[harness] local cluster and moto ready in ${Date.now() - t0} ms (HPX_HOME=${home})\n`);
}

export async function globalTeardown(): Promise<void> {
  await cluster?.down();
  await webhook?.close();
  await moto?.stop();
  const leftover = cluster?.processes() ?? [];
  if (home && !process.env.HPX_TEST_KEEP) rmSync(home, { recursive: true, force: true });
  if (leftover.length > 0) throw new Error(`processes left running: ${JSON.stringify(leftover)}`);
}

/** vitest's names for the same two steps. */
export { globalSetup as setup, globalTeardown as teardown };
