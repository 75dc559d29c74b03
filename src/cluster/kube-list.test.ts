import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { test } from "vitest";
import { repoRoot } from "../toolchain.ts";
import { KubeGetError } from "./kube-get.ts";
import { clientNodeGet, listJson, listMetadata, METADATA_LIST_ACCEPT } from "./kube-list.ts";

/** An API server stand-in that records what it was asked and answers with `status` and `body`. */
async function withServer(status: number, body: string | Buffer, run: (kc: KubeConfig, asked: { url?: string; headers?: IncomingHttpHeaders }) => Promise<void>) {
  const asked: { url?: string; headers?: IncomingHttpHeaders } = {};
  const server = createServer((req, res) => {
    asked.url = req.url;
    asked.headers = req.headers;
    res.writeHead(status, { "content-type": typeof body === "string" ? "application/json" : "application/vnd.kubernetes.protobuf" }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  // client-node speaks plain HTTP only with TLS checks off, as a test server needs.
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "c", server: `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix`, skipTLSVerify: true }],
    users: [{ name: "u", token: "t0ken" }],
    contexts: [{ name: "x", cluster: "c", user: "u" }],
    currentContext: "x",
  });
  try {
    await run(kc, asked);
  } finally {
    await new Promise((r) => server.close(r));
  }
}

test("listMetadata asks for metadata only, in protobuf or else JSON, with the kubeconfig's credentials, under the server's path", async () => {
  const list = { kind: "PartialObjectMetadataList", apiVersion: "meta.k8s.io/v1", items: [{ metadata: { name: "a", uid: "1", annotations: { k: "v" } } }, {}] };
  await withServer(200, JSON.stringify(list), async (kc, asked) => {
    const metas = await listMetadata(clientNodeGet(kc), "/apis/apps/v1/namespaces/ns/deployments");
    assert.deepEqual(metas, [{ name: "a", uid: "1", annotations: { k: "v" } }, {}]);
    assert.equal(asked.url, "/prefix/apis/apps/v1/namespaces/ns/deployments");
    assert.equal(asked.headers?.accept, `application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1, ${METADATA_LIST_ACCEPT}`);
    assert.equal(asked.headers?.authorization, "Bearer t0ken");
  });
});

const fixture = (name: string) => readFileSync(join(repoRoot, "test", "fixtures", "kube-protobuf", name));

test("listMetadata reads a protobuf answer as it reads the JSON one", async () => {
  const json = JSON.parse(fixture("services.json").toString("utf8")) as { items: { metadata: { name: string; uid: string } }[] };
  await withServer(200, fixture("services.pb"), async (kc) => {
    const metas = await listMetadata(clientNodeGet(kc), "/api/v1/namespaces/ns/services");
    assert.deepEqual(metas.map((m) => [m.name, m.uid]), json.items.map((i) => [i.metadata.name, i.metadata.uid]));
  });
});

test("a refusal sent in protobuf rejects with the JSON Status explainKubeError reads", async () => {
  await withServer(404, fixture("status-not-found.pb"), async (kc) => {
    await assert.rejects(listMetadata(clientNodeGet(kc), "/api/v1/namespaces/ns/secrets"), (err: unknown) => {
      assert.ok(err instanceof KubeGetError);
      assert.equal(err.code, 404);
      assert.deepEqual(JSON.parse(err.body), { kind: "Status", apiVersion: "v1", status: "Failure", message: 'secrets "x" not found', reason: "NotFound", code: 404 });
      return true;
    });
  });
});

test("listJson returns the list as sent (timestamps stay strings), asking for JSON", async () => {
  const pod = { metadata: { name: "p", creationTimestamp: "2026-12-01T17:00:00Z" }, status: { phase: "Running" } };
  await withServer(200, JSON.stringify({ kind: "PodList", metadata: { resourceVersion: "42" }, items: [pod] }), async (kc, asked) => {
    assert.deepEqual(await listJson(clientNodeGet(kc), "/api/v1/namespaces/ns/pods?labelSelector=a%3Db"), { kind: "PodList", metadata: { resourceVersion: "42" }, items: [pod] });
    assert.equal(asked.url, "/prefix/api/v1/namespaces/ns/pods?labelSelector=a%3Db");
    assert.equal(asked.headers?.accept, "application/json");
  });
  await withServer(200, JSON.stringify({ kind: "PodList", metadata: {}, items: null }), async (kc) => {
    assert.deepEqual((await listJson(clientNodeGet(kc), "/api/v1/pods")).items, []);
  });
});

test("listMetadata rejects an answer other than 200 with its code and body, as explainKubeError reads them", async () => {
  const status = '{"kind":"Status","message":"deployments.apps is forbidden","code":403}';
  await withServer(403, status, async (kc) => {
    await assert.rejects(listMetadata(clientNodeGet(kc), "/apis/apps/v1/namespaces/ns/deployments"), new KubeGetError(403, status));
  });
});
