import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, test } from "vitest";
import { CreateClusterCommand, EKSClient } from "@aws-sdk/client-eks";
import { AppsV1Api, CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { rbacRules } from "../src/cluster/rbac-needs.ts";
import { DEMO_LOGS } from "../src/cluster/simulated-logs.ts";
import { buildService } from "../src/components/build-service.ts";
import { buildDeployment } from "../src/components/build-workload.ts";
import { spawnSync } from "node:child_process";
import { hpx } from "./harness/cli.ts";
import { harnessEnv, testDir } from "./harness/env.ts";
import { TEST_EKS_CLUSTER } from "./harness/global-setup.ts";

// The whole EKS chain on the local harness: secret store -> access key -> AssumeRole
// (moto) -> DescribeCluster (moto, mapped to the local API server) -> kubeconfig exec
// user -> `hpx token` -> kube-apiserver -> token webhook -> STS replay (moto) -> aws-auth
// mapping -> RBAC with exactly hpx's verbs.
const NS = "eks-test";
const ACCOUNT = "123456789012";
const baseCreds = { AccessKeyId: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
let cwd: string;
let env: Record<string, string>;

function stackFile(name: string, role: string): void {
  writeFileSync(
    join(cwd, "stacks", `${name}.yml`),
    `secret_store: {secret_store_type: local, store_location: ${join(cwd, "hydro_secrets")}}
runtime:
  runtime_type: eks
  cluster_name: ${TEST_EKS_CLUSTER}
  region: us-west-2
  namespace: ${NS}
  credentials:
    access_key:
      access_key_id: {secret_name: aws-creds, key: AccessKeyId}
      secret_access_key: {secret_name: aws-creds, key: SecretAccessKey}
    assume_role: {role_arn: "arn:aws:iam::${ACCOUNT}:role/${role}", session_name: hpx-test}
`,
  );
}

beforeAll(async () => {
  const h = harnessEnv();
  const kc = new KubeConfig();
  kc.loadFromFile(h.kubeconfig);
  const server = kc.getCurrentCluster()!.server;
  const caFile = (kc.getCurrentCluster() as { caFile?: string }).caFile!;
  // The cluster in moto describes the local API server's endpoint and CA.
  const eks = new EKSClient({ region: "us-west-2", endpoint: h.motoUrl, credentials: { accessKeyId: "AKIAADMIN", secretAccessKey: "x" } });
  await eks.send(
    new CreateClusterCommand({
      name: TEST_EKS_CLUSTER,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/eks-cluster`,
      resourcesVpcConfig: { subnetIds: ["subnet-1"] },
      tags: { "hpx-test/endpoint": server, "hpx-test/ca-data": readFileSync(caFile).toString("base64") },
    }),
  );
  const core = kc.makeApiClient(CoreV1Api);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
  await core.createNamespacedConfigMap({
    namespace: "kube-system",
    body: {
      metadata: { name: "aws-auth" },
      data: {
        mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/EKSAdmin\n  username: hpx:{{SessionName}}\n  groups: [hpx-deployers]\n- rolearn: arn:aws:iam::${ACCOUNT}:role/NoRights\n  username: norights\n  groups: [nobody]\n`,
      },
    },
  });
  await rbac.createNamespacedRole({ namespace: NS, body: { metadata: { name: "hpx-deployer" }, rules: rbacRules(false) } });
  await rbac.createClusterRole({ body: { metadata: { name: "hpx-nodes" }, rules: rbacRules(true) } });
  const group = [{ kind: "Group", name: "hpx-deployers", apiGroup: "rbac.authorization.k8s.io" }];
  await rbac.createNamespacedRoleBinding({
    namespace: NS,
    body: { metadata: { name: "hpx-deployers" }, roleRef: { kind: "Role", name: "hpx-deployer", apiGroup: "rbac.authorization.k8s.io" }, subjects: group },
  });
  await rbac.createClusterRoleBinding({
    body: { metadata: { name: "hpx-deployers-nodes" }, roleRef: { kind: "ClusterRole", name: "hpx-nodes", apiGroup: "rbac.authorization.k8s.io" }, subjects: group },
  });
  // One process's objects, put there by the admin as an older hpx marked them for a stack
  // named eks (its name only): `hpx ls -s eks` lists them while that stack records no identity.
  const spec = { process_name: "web", has_public_ip: true, container: { image_uri: "nginx", ports: [{ container_port: 80, protocol: "tcp" as const }], env: [] } };
  const named = <T extends { metadata?: { annotations?: Record<string, string> } }>(o: T): T => ({ ...o, metadata: { ...o.metadata, annotations: { "hpx.dev/stack": "eks" } } });
  await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({ namespace: NS, body: named(buildDeployment(spec, NS)) });
  await core.createNamespacedService({ namespace: NS, body: named(buildService(spec, NS)) });

  cwd = testDir("eks");
  mkdirSync(join(cwd, "stacks"));
  // The access key lives in the local secret store, as Hydroplane keeps it.
  env = { HPX_SECRET_STORE_PASSWORD: "eks test store password" };
  assert.equal((await hpx(["secrets", "init", "--store", join(cwd, "hydro_secrets")], env)).code, 0);
  writeFileSync(join(cwd, "creds.json"), JSON.stringify(baseCreds));
  assert.equal((await hpx(["secrets", "add", "aws-creds", "-f", join(cwd, "creds.json"), "--store", join(cwd, "hydro_secrets")], env)).code, 0);
  stackFile("eks", "EKSAdmin");
  stackFile("eks-unmapped", "Stranger");
  stackFile("eks-norights", "NoRights");
  env = {
    ...env,
    AWS_ENDPOINT_URL: h.motoUrl,
    AWS_CONFIG_FILE: "/nonexistent",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
    AWS_EC2_METADATA_DISABLED: "true",
  };
});

test("an eks stack lists its processes through assume-role, EKS tokens, the webhook and RBAC", async () => {
  let res;
  for (let i = 0; i < 50; i++) {
    res = await hpx(["ls", "-s", "eks", "-o", "json"], env, cwd);
    if (res.code !== 0 || JSON.parse(res.stdout)[0]?.status === "RUNNING") break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(res?.code, 0, res?.stderr);
  const [web] = JSON.parse(res!.stdout);
  assert.equal(web.process_name, "web");
  assert.equal(web.status, "RUNNING");
  assert.match(web.socket_addresses[0].host, /^203\.0\.113\.\d+$/);
  assert.doesNotMatch(res!.stdout + res!.stderr, /wJalrXUtnFEMI|k8s-aws-v1\./, "no secret or token in the output");
});

test("hpx logs on an eks stack under exactly hpx's Role (pods/log get); a role without bindings is Forbidden", async () => {
  const res = await hpx(["logs", "web", "-s", "eks", "--tail", "2"], env, cwd);
  assert.deepEqual(res, { code: 0, stdout: DEMO_LOGS.web!.slice(-2).map((l) => `${l}\n`).join(""), stderr: "" });
  const denied = await hpx(["logs", "web", "-s", "eks-norights"], env, cwd);
  assert.equal(denied.code, 1);
  assert.match(denied.stderr, /^hpx: the cluster's RBAC forbids it: .*"norights" cannot list resource "(pods|services)"/);
});

test("an unmapped role is Unauthorized, and hpx says how to map it", async () => {
  const res = await hpx(["ls", "-s", "eks-unmapped"], env, cwd);
  assert.equal(res.code, 1);
  const lines = res.stderr.split("\n");
  assert.equal(lines[0], `hpx: the cluster rejected arn:aws:iam::${ACCOUNT}:role/Stranger (401 Unauthorized): it is not mapped to a Kubernetes identity`);
  assert.ok(lines.includes(`      - rolearn: arn:aws:iam::${ACCOUNT}:role/Stranger`), res.stderr);
  assert.ok(
    lines.includes(
      `    or create an access entry: aws eks create-access-entry --cluster-name ${TEST_EKS_CLUSTER} --region us-west-2 --principal-arn arn:aws:iam::${ACCOUNT}:role/Stranger --kubernetes-groups hpx-deployers`,
    ),
    res.stderr,
  );
});

test("a mapped role without RBAC bindings is Forbidden, and hpx names the fix", async () => {
  const res = await hpx(["ls", "-s", "eks-norights"], env, cwd);
  assert.equal(res.code, 1);
  assert.match(res.stderr, /^hpx: the cluster's RBAC forbids it: .*"norights" cannot list resource "(nodes|pods|services)"/);
});

test("hpx doctor: every link passes for the mapped role with exactly hpx's verbs", async () => {
  const res = await hpx(["doctor", "-s", "eks", "--json"], env, cwd);
  assert.equal(res.code, 0, res.stdout + res.stderr);
  const results = JSON.parse(res.stdout) as { check: string; ok: boolean; detail: string }[];
  assert.deepEqual(
    results.map((r) => [r.check, r.ok]),
    [
      ["AWS caller identity", true],
      ["eks:DescribeCluster", true],
      ["token accepted", true],
      [`RBAC deployments.apps in ${NS}`, true],
      [`RBAC services in ${NS}`, true],
      [`RBAC secrets in ${NS}`, true],
      [`RBAC configmaps in ${NS}`, true],
      [`RBAC pods in ${NS}`, true],
      [`RBAC pods/log in ${NS}`, true],
      ["RBAC nodes", true],
      ["RBAC namespaces/kube-system", true],
      [`namespace ${NS}`, true],
      ["nodes with an external IP", true],
    ],
  );
  assert.equal(results[0]!.detail, `arn:aws:sts::${ACCOUNT}:assumed-role/EKSAdmin/hpx-test`);
  assert.equal(results[1]!.detail, `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/${TEST_EKS_CLUSTER}`);
  assert.equal(results[2]!.detail, "as hpx:hpx-test (groups: hpx-deployers, system:authenticated)");
});

test("hpx doctor: an unmapped role fails at the token with the aws-auth fix; a role without bindings fails per verb", async () => {
  const unmapped = await hpx(["doctor", "-s", "eks-unmapped"], env, cwd);
  assert.equal(unmapped.code, 1);
  assert.match(unmapped.stdout, /^FAIL token accepted: 401 Unauthorized$/m);
  assert.match(unmapped.stdout, new RegExp(`^ {11}- rolearn: arn:aws:iam::${ACCOUNT}:role/Stranger$`, "m"));
  const norights = await hpx(["doctor", "-s", "eks-norights"], env, cwd);
  assert.equal(norights.code, 1);
  assert.match(norights.stdout, new RegExp(`^FAIL RBAC deployments.apps in ${NS}: denied: get, list, watch, create, update, patch, delete$`, "m"));
  assert.match(norights.stdout, /^ {7}grant get, list, watch, create, update, patch, delete on deployments to hpx's group \(Role \+ RoleBinding\)$/m);
  assert.match(norights.stdout, new RegExp(`^FAIL RBAC pods/log in ${NS}: denied: get$`, "m"));
  assert.equal(norights.stderr, "hpx: 9 check(s) failed\n"); // eight RBAC lines and the node listing
});

/** The harness webhook's test control: the accepted token age, and distinct tokens accepted. */
async function webhookSettings(settings: { maxAgeMs?: number; reset?: boolean }): Promise<{ acceptedTokens: number }> {
  const url = new URL("/settings", process.env.HPX_TEST_WEBHOOK_URL);
  const res = await fetch(url, { method: "POST", body: JSON.stringify(settings) });
  return (await res.json()) as { acceptedTokens: number };
}

test("the main cycle under hpx's least-privilege Role on an eks stack: up (longer than a token lives), ls, change, preview, up, stop -g, destroy; no token or secret reaches the state files", async () => {
  writeFileSync(join(cwd, "stacks", "eks.yml"), readFileSync(join(cwd, "stacks", "eks.yml"), "utf8") + `backend: ${harnessEnv().backendUrl}\n`);
  writeFileSync(
    join(cwd, "three.yml"),
    ["api", "worker", "cache"].map((n) => `- process_name: ${n}\n  group: ${n === "cache" ? "store" : "backend"}\n  container: {image_uri: nginx, ports: [{container_port: 8080}]}\n`).join(""),
  );
  // Tokens live 1 s here (the webhook refuses them after 2.5 s), so the provider and hpx
  // must mint new ones during the run: the kubeconfig's exec user runs `hpx token`. With
  // 3 s and 4 s, an up whose requests all came within 3 s of hpx's first token showed
  // two tokens only (hpx's and the provider's) in a 5.6 s run, on a loaded CI machine.
  await webhookSettings({ maxAgeMs: 2500, reset: true });
  const shortLived = { ...env, HPX_EKS_TOKEN_LIFETIME_SECONDS: "1" };
  try {
    const t0 = Date.now();
    const up = await hpx(["up", "three.yml", "-s", "eks", "--yes", "--timeout", "2m"], shortLived, cwd);
    const took = Date.now() - t0;
    assert.equal(up.code, 0, up.stderr);
    const { acceptedTokens } = await webhookSettings({});
    assert.ok(took > 2500, `up took ${took} ms: not longer than a token's life`);
    assert.ok(acceptedTokens >= 3, `only ${acceptedTokens} distinct token(s) were presented during a ${took} ms run`);
    const ls = await hpx(["ls", "-s", "eks", "-o", "json"], shortLived, cwd);
    assert.deepEqual(
      (JSON.parse(ls.stdout) as { process_name: string; status: string }[]).map((x) => [x.process_name, x.status]),
      // The stack's own processes: not the admin's `web`, which no stack with an identity owns.
      [["api", "RUNNING"], ["cache", "RUNNING"], ["worker", "RUNNING"]],
    );
    // Change one process: the plan shows it, up applies it, stop -g removes a group.
    writeFileSync(join(cwd, "three.yml"), readFileSync(join(cwd, "three.yml"), "utf8").replace("worker\n  group: backend\n  container: {image_uri: nginx,", "worker\n  group: backend\n  container: {image_uri: nginx:1.27,"));
    const preview = await hpx(["preview", "three.yml", "-s", "eks", "--expect-no-changes"], shortLived, cwd);
    assert.equal(preview.code, 3, preview.stderr);
    assert.equal(preview.stdout, "~  worker  update\n0 to create, 1 to update, 0 to replace, 0 to delete\n");
    const changed = await hpx(["up", "three.yml", "-s", "eks", "--yes", "--timeout", "2m"], shortLived, cwd);
    assert.equal(changed.code, 0, changed.stderr);
    const stopped = await hpx(["stop", "-g", "backend", "-s", "eks"], shortLived, cwd);
    assert.equal(stopped.code, 0, stopped.stderr);
    const after = await hpx(["ls", "-s", "eks", "-o", "json"], shortLived, cwd);
    assert.deepEqual((JSON.parse(after.stdout) as { process_name: string }[]).map((x) => x.process_name), ["cache"]);
    // grep exits 1 when nothing matches: that is the outcome wanted.
    const grep = spawnSync("grep", ["-rlE", "k8s-aws-v1|wJalrXUtnFEMI|eks test store password", new URL(harnessEnv().backendUrl).pathname], { encoding: "utf8" });
    assert.equal(grep.status, 1, `state files holding a token or secret: ${grep.stdout}${grep.stderr}`);
    const destroyed = await hpx(["destroy", "-s", "eks", "--yes"], shortLived, cwd);
    assert.equal(destroyed.code, 0, destroyed.stderr);
  } finally {
    await webhookSettings({ maxAgeMs: 15 * 60 * 1000 });
  }
});
