import assert from "node:assert/strict";
import { test } from "vitest";
import { parse } from "yaml";
import { eksKubeconfig } from "./eks-kubeconfig.ts";

test("the provider's kubeconfig runs hpx token and holds no token or credential", () => {
  const text = eksKubeconfig(
    { arn: "arn:aws:eks:us-west-2:123456789012:cluster/prod", endpoint: "https://ABC.gr7.us-west-2.eks.amazonaws.com", caData: "Q0E=" },
    { command: "/opt/hpx/bin/hpx", cluster: "prod", region: "us-west-2", roleArn: "arn:aws:iam::123456789012:role/EKSAdmin", sessionName: "hpx-ci", durationSeconds: 900 },
  );
  assert.deepEqual(parse(text), {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "arn:aws:eks:us-west-2:123456789012:cluster/prod", cluster: { server: "https://ABC.gr7.us-west-2.eks.amazonaws.com", "certificate-authority-data": "Q0E=" } }],
    users: [
      {
        name: "hpx",
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "/opt/hpx/bin/hpx",
            args: ["token", "--cluster", "prod", "--region", "us-west-2", "--role-arn", "arn:aws:iam::123456789012:role/EKSAdmin", "--session-name", "hpx-ci", "--duration-seconds", "900"],
            interactiveMode: "Never",
            provideClusterInfo: false,
          },
        },
      },
    ],
    contexts: [{ name: "arn:aws:eks:us-west-2:123456789012:cluster/prod", context: { cluster: "arn:aws:eks:us-west-2:123456789012:cluster/prod", user: "hpx" } }],
    "current-context": "arn:aws:eks:us-west-2:123456789012:cluster/prod",
  });
  assert.doesNotMatch(text, /token:|k8s-aws-v1|AKIA|secret/i);
});
