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

test("an eks stack as DESIGN.md writes it parses", () => {
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
        "stacks/bad.yml:4:11: runtime.region: must be an AWS region such as us-west-2",
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
