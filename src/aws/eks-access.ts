import { join } from "node:path";
import type { ClusterAccess } from "../cluster/cluster-access.ts";
import { resolveRef, type SecretStore } from "../secrets/secret-store.ts";
import type { StackSettings } from "../spec/stack-settings.ts";
import { repoRoot } from "../toolchain.ts";
import { awsCredentials } from "./credentials.ts";
import { describeCluster } from "./eks-cluster.ts";
import { eksKubeconfig } from "./eks-kubeconfig.ts";

export type EksRuntime = Extract<StackSettings["runtime"], { runtime_type: "eks" }>;

/**
 * An EKS cluster: credentials from the secret store (or the SDK default chain), the
 * endpoint and CA from DescribeCluster, and a kubeconfig whose exec user runs
 * `hpx token`. The base credentials reach that child through this process's
 * environment only; they are never written to a file or to state.
 */
export async function eksAccess(runtime: EksRuntime, store: SecretStore): Promise<ClusterAccess> {
  const creds = runtime.credentials;
  const accessKey = creds?.access_key
    ? {
        accessKeyId: await resolveRef(store, creds.access_key.access_key_id),
        secretAccessKey: await resolveRef(store, creds.access_key.secret_access_key),
      }
    : undefined;
  const role = creds?.assume_role;
  const externalId = role?.external_id ? await resolveRef(store, role.external_id) : undefined;
  if (accessKey) {
    process.env.AWS_ACCESS_KEY_ID = accessKey.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = accessKey.secretAccessKey;
    delete process.env.AWS_SESSION_TOKEN;
  }
  if (externalId !== undefined) process.env.HPX_ASSUME_ROLE_EXTERNAL_ID = externalId;
  const assumeRole = role
    ? { roleArn: role.role_arn, sessionName: role.session_name, durationSeconds: role.session_duration_seconds, externalId }
    : undefined;
  const credentials = awsCredentials({ region: runtime.region, accessKey, assumeRole });
  const cluster = await describeCluster(runtime.cluster_name, runtime.region, credentials);
  const kubeconfig = eksKubeconfig(cluster, {
    command: join(repoRoot, "bin", "hpx"),
    cluster: runtime.cluster_name,
    region: runtime.region,
    roleArn: role?.role_arn,
    sessionName: role?.session_name,
    durationSeconds: role?.session_duration_seconds,
  });
  // The cluster ARN, not the kubeconfig: another machine or install path changes nothing.
  const principal = async () => {
    const { STSClient, GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
    const who = await new STSClient({ region: runtime.region, credentials }).send(new GetCallerIdentityCommand({}));
    return who.Arn ?? "";
  };
  return {
    kubeconfig,
    kubeconfigPath: "",
    context: undefined,
    namespace: runtime.namespace,
    clusterIdentifier: cluster.arn,
    simulated: false,
    eks: { cluster: runtime.cluster_name, region: runtime.region, principal },
  };
}

