import { AuthError, ClusterError } from "../errors.ts";

/** What the cluster must know about an EKS caller for the Unauthorized advice. */
export interface EksIdentity {
  cluster: string;
  region: string;
  /** The IAM principal hpx signs as (a role ARN when it assumes one), fetched only when needed. */
  principal: () => Promise<string>;
}

/** assumed-role session ARN -> the role ARN that aws-auth and access entries name. */
export function principalArn(arn: string): string {
  const m = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : arn;
}

/** The message of a Kubernetes Status body (a JSON string or an object). */
function statusMessage(body: unknown): string {
  let status: unknown = body;
  if (typeof body === "string") {
    try {
      status = JSON.parse(body);
    } catch {
      return body;
    }
  }
  const message = (status as { message?: unknown } | undefined)?.message;
  return typeof message === "string" ? message : JSON.stringify(body ?? "");
}

/** How to let an IAM principal into an EKS cluster (aws-auth, or an access entry). */
export function unauthorizedAdvice(arn: string, eks: { cluster: string; region: string }): string[] {
  return [
    "EKS only lets in IAM principals it maps. Either:",
    `  add it to the aws-auth ConfigMap: kubectl edit -n kube-system configmap/aws-auth, under mapRoles (mapUsers for a user):`,
    `    - rolearn: ${arn}`,
    "      username: hpx",
    "      groups: [hpx-deployers]   # a group bound to a Role with the verbs hpx needs (hpx doctor lists them)",
    `  or create an access entry: aws eks create-access-entry --cluster-name ${eks.cluster} --region ${eks.region} --principal-arn ${arn} --kubernetes-groups hpx-deployers`,
  ];
}

/** Turns the API server's 401 and 403 into errors that say how to fix them. */
export async function explainKubeError(err: unknown, eks?: EksIdentity): Promise<never> {
  // A number is an HTTP status; a string (ECONNRESET) is the network's, passed on as it is.
  const raw = (err as { code?: unknown }).code;
  const code = typeof raw === "number" ? raw : undefined;
  const body = (err as { body?: unknown }).body;
  const reason = statusMessage(body);
  if (code === 401) {
    if (!eks) throw new AuthError("the cluster rejected the credentials (401 Unauthorized)", undefined, ["check the kubeconfig's user"]);
    const arn = principalArn(await eks.principal().catch(() => "<your IAM principal>"));
    throw new AuthError(`the cluster rejected ${arn} (401 Unauthorized): it is not mapped to a Kubernetes identity`, undefined, unauthorizedAdvice(arn, eks));
  }
  if (code === 403) {
    throw new AuthError(`the cluster's RBAC forbids it: ${reason}`, undefined, [
      "bind the identity's group to a Role (and a ClusterRole to list nodes) with the verbs hpx needs; hpx doctor lists them",
    ]);
  }
  if (code !== undefined) throw new ClusterError(`the Kubernetes API answered ${code}: ${reason}`);
  throw err;
}
