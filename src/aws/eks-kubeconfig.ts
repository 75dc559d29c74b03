import { stringify } from "yaml";

export interface ExecUser {
  /** Absolute path of the hpx executable. */
  command: string;
  cluster: string;
  region: string;
  roleArn?: string;
  sessionName?: string;
  durationSeconds?: number;
}

/**
 * A kubeconfig whose user runs `hpx token` for every token it needs: nothing secret is
 * written, so the Pulumi state never holds a token, and long runs renew themselves.
 */
export function eksKubeconfig(cluster: { arn: string; endpoint: string; caData: string }, user: ExecUser): string {
  const args = ["token", "--cluster", user.cluster, "--region", user.region];
  if (user.roleArn) args.push("--role-arn", user.roleArn);
  if (user.sessionName) args.push("--session-name", user.sessionName);
  if (user.durationSeconds) args.push("--duration-seconds", String(user.durationSeconds));
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: cluster.arn, cluster: { server: cluster.endpoint, "certificate-authority-data": cluster.caData } }],
    users: [
      {
        name: "hpx",
        user: {
          exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: user.command, args, interactiveMode: "Never", provideClusterInfo: false },
        },
      },
    ],
    contexts: [{ name: cluster.arn, context: { cluster: cluster.arn, user: "hpx" } }],
    "current-context": cluster.arn,
  });
}
