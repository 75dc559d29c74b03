import assert from "node:assert/strict";
import { test } from "vitest";
import { join } from "node:path";
import { repoRoot } from "../toolchain.ts";
import { defaultLocalStackSettings, loadStackSettings, parseStackSettings } from "./stack-settings.ts";

test("the built-in local stack: local simulated cluster, no secret store, state under ~/.hpx", () => {
  assert.deepEqual(defaultLocalStackSettings(), {
    secret_store: { secret_store_type: "none" },
    backend: "file://~/.hpx/state",
    runtime: { runtime_type: "local", namespace: "default" },
  });
});

test("an eks stack as the README's stack settings section writes it parses", () => {
  const s = parseStackSettings(
    `secret_store: {secret_store_type: local, store_location: ~/.hydro_secrets}
backend: s3://bucket/hpx?region=us-west-2
runtime:
  runtime_type: eks
  cluster_name: my-cluster
  region: us-west-2
  credentials:
    access_key:
      access_key_id: {secret_name: aws-creds, key: AccessKeyId}
      secret_access_key: {secret_name: aws-creds, key: SecretAccessKey}
    assume_role: {role_arn: "arn:aws:iam::123456789012:role/EKSAdmin", session_duration_seconds: 900}
process_culling: {max_age_minutes: 120}
`,
    "stacks/prod.yml",
  );
  assert.equal(s.runtime.runtime_type, "eks");
  assert.equal(s.runtime.namespace, "default");
});

test("stack file errors are located, with suggestions", () => {
  assert.throws(
    () => parseStackSettings("runtime:\n  runtime_type: eks\n  cluster: c\n  region: mars\nbackend: file:///tmp/x\nnamespace: x\n", "stacks/bad.yml"),
    {
      message: [
        'stacks/bad.yml:2:3: runtime.cluster_name: is required',
        'stacks/bad.yml:3:3: runtime.cluster: unknown key "cluster": did you mean cluster_name?',
        'stacks/bad.yml:4:11: runtime.region: must be an AWS region such as us-west-2, got string "mars"',
        'stacks/bad.yml:6:1: namespace: unknown key "namespace": did you mean runtime.namespace?',
      ].join("\n"),
    },
  );
});

test("the example stacks in stacks/ load as they are", () => {
  const load = (name: string) => loadStackSettings(join(repoRoot, "stacks", `${name}.yml`));
  assert.deepEqual(load("local"), defaultLocalStackSettings());
  assert.deepEqual(load("kubeconfig").runtime, { runtime_type: "kubeconfig", kubeconfig: "~/.kube/config", namespace: "default" });
  const eks = load("eks");
  assert.equal(eks.runtime.runtime_type, "eks");
  assert.deepEqual(eks.process_culling, { max_age_minutes: 120 });
  assert.equal(eks.backend, "s3://my-hpx-state/prod?region=us-west-2");
});

/** Every problem of each invalid stack fixture, as `line:col path: message`. */
const INVALID_STACKS: [string, string[]][] = [
  ["backend-number.yml", ["1:10 backend: expected a string, got number 42"]],
  ["bad-namespace.yml", ["3:14 runtime.namespace: must be a DNS-1123 label, got string \"Not_A_Namespace\""]],
  ["culling-zero.yml", ["1:36 process_culling.max_age_minutes: must be more than 0, got number 0"]],
  ["eks-without-region.yml", ["2:3 runtime.region: is required"]],
  ["kubeconfig-missing-path.yml", ["1:10 runtime.kubeconfig: is required"]],
  ["misspelt-runtime.yml", ["1:1 runtim: unknown key \"runtim\": did you mean runtime?"]],
  ["runtime-list.yml", ["1:10 runtime: expected a mapping, got a list"]],
  ["session-too-short.yml", ["6:29 runtime.credentials.assume_role.role_arn: must be an IAM role ARN: arn:aws:iam::ACCOUNT:role/NAME, got string \"arn:aws:iam::1:role/x\"", "6:78 runtime.credentials.assume_role.session_duration_seconds: must be at least 900, got number 60"]],
  ["store-location-number.yml", ["1:58 secret_store.store_location: expected a string, got number 7"]],
  ["unknown-runtime.yml", ["1:25 runtime.runtime_type: must be one of local, kubeconfig, eks, got string \"docker\""]],
  ["unknown-secret-store.yml", ["1:35 secret_store.secret_store_type: must be one of local, none, env, got string \"vault\""]],
  ["yaml-syntax.yml", ["2:1 : invalid YAML: Missing closing \"quote"]],
];

for (const [file, expected] of INVALID_STACKS) {
  test(`invalid stack file: ${file}`, () => {
    const path = join(repoRoot, "test", "fixtures", "stacks", "invalid", file);
    assert.throws(
      () => loadStackSettings(path),
      (err: { issues: { file: string; line: number; col: number; path: string; message: string }[]; exitCode: number }) => {
        assert.equal(err.exitCode, 2);
        assert.deepEqual(err.issues.map((i) => `${i.line}:${i.col} ${i.path}: ${i.message}`), expected);
        assert.ok(err.issues.every((i) => i.file === path));
        return true;
      },
    );
  });
}
