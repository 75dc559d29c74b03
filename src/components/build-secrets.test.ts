import assert from "node:assert/strict";
import { test } from "vitest";
import type { ProcessSpec, SecretRef } from "../spec/process-spec.ts";
import { buildEnvSecret, buildRegistrySecret, registryHost } from "./build-secrets.ts";

const labels = (name: string) => ({ "hydroplane/process-id": name, "app.kubernetes.io/name": name, "app.kubernetes.io/managed-by": "hpx" });
const noSecrets = (): string => {
  throw new Error("no secret expected");
};

test("env Secret: <process>-env, Opaque, stringData keyed by variable name, values from the resolver", () => {
  const asked: SecretRef[] = [];
  const api: ProcessSpec = {
    process_name: "api",
    has_public_ip: false,
    container: {
      image_uri: "app",
      ports: [],
      env: [
        { name: "MODE", value: "demo" },
        { name: "API_TOKEN", value: { secret_name: "api", key: "token" } },
        { name: "DB_URL", value: { secret_name: "db" } },
      ],
    },
  };
  const secrets = (ref: SecretRef) => (asked.push(ref), `${ref.secret_name}:${ref.key ?? "*"}`);
  assert.deepEqual(buildEnvSecret(api, { namespace: "default", secrets }), {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "api-env", namespace: "default", labels: labels("api") },
    type: "Opaque",
    stringData: { API_TOKEN: "api:token", DB_URL: "db:*" },
  });
  assert.deepEqual(asked, [{ secret_name: "api", key: "token" }, { secret_name: "db" }]);
});

test("no env from the store: no env Secret; no credentials: no pull Secret", () => {
  const plain: ProcessSpec = { process_name: "p", has_public_ip: false, container: { image_uri: "x", ports: [], env: [{ name: "A", value: "1" }] } };
  assert.equal(buildEnvSecret(plain, { namespace: "default", secrets: noSecrets }), undefined);
  assert.equal(buildRegistrySecret(plain, { namespace: "default", secrets: noSecrets }), undefined);
});

test("registry credentials (literal and stored): a dockerconfigjson Secret for the image's registry", () => {
  const priv: ProcessSpec = {
    process_name: "priv",
    has_public_ip: false,
    container: { image_uri: "registry.example:5000/team/app:1", ports: [], env: [], username: "bot", password: { secret_name: "registry", key: "password" } },
  };
  const secrets = (ref: SecretRef) => (ref.secret_name === "registry" && ref.key === "password" ? "pw" : noSecrets());
  assert.deepEqual(buildRegistrySecret(priv, { namespace: "ns", secrets }), {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "priv-registry", namespace: "ns", labels: labels("priv") },
    type: "kubernetes.io/dockerconfigjson",
    stringData: {
      ".dockerconfigjson": '{"auths":{"registry.example:5000":{"username":"bot","password":"pw","auth":"Ym90OnB3"}}}',
    },
  });
});

test("registry host: Docker Hub's legacy key unless the first segment is a host", () => {
  const hub = "https://index.docker.io/v1/";
  assert.equal(registryHost("nginx"), hub);
  assert.equal(registryHost("nginx:1.27"), hub);
  assert.equal(registryHost("library/nginx"), hub);
  assert.equal(registryHost("docker.io/library/nginx"), hub);
  assert.equal(registryHost("index.docker.io/library/nginx"), hub);
  assert.equal(registryHost("localhost/app"), "localhost");
  assert.equal(registryHost("localhost:5000/app"), "localhost:5000");
  assert.equal(registryHost("123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1"), "123456789012.dkr.ecr.us-west-2.amazonaws.com");
  assert.equal(registryHost("MyRegistry/app"), "MyRegistry");
});
