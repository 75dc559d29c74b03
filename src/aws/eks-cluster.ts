import { DescribeClusterCommand, EKSClient } from "@aws-sdk/client-eks";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { AuthError, ClusterError } from "../errors.ts";

export interface EksCluster {
  name: string;
  arn: string;
  endpoint: string;
  /** Base64 PEM of the cluster CA, as EKS returns it. */
  caData: string;
}

/** eks:DescribeCluster: the API endpoint and CA of the cluster. */
export async function describeCluster(name: string, region: string, credentials: AwsCredentialIdentityProvider): Promise<EksCluster> {
  const eks = new EKSClient({ region, credentials });
  try {
    const out = await eks.send(new DescribeClusterCommand({ name }));
    const c = out.cluster;
    if (!c?.endpoint || !c.certificateAuthority?.data || !c.arn) {
      throw new ClusterError(`EKS cluster ${name} in ${region} has no endpoint yet (status ${c?.status ?? "unknown"})`);
    }
    return { name, arn: c.arn, endpoint: c.endpoint, caData: c.certificateAuthority.data };
  } catch (err) {
    if (err instanceof ClusterError) throw err;
    const e = err as { name?: string; message?: string };
    if (e.name === "ResourceNotFoundException") {
      throw new ClusterError(`EKS cluster ${name} does not exist in ${region}`, undefined, ["check runtime.cluster_name and runtime.region"]);
    }
    if (e.name === "AccessDeniedException" || e.name === "UnrecognizedClientException") {
      throw new AuthError(`AWS refused eks:DescribeCluster on ${name}: ${e.message}`, undefined, [
        "the identity needs eks:DescribeCluster on the cluster (see README: EKS setup)",
      ]);
    }
    throw new AuthError(`eks:DescribeCluster ${name} failed: ${e.name ?? "error"}: ${e.message ?? String(err)}`);
  }
}
