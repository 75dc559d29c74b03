import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { test } from "vitest";
import { repoRoot } from "../toolchain.ts";
import { KubeGetError } from "./kube-get.ts";
import { clientNodeGet, listJson, listMetadata, listPaged, METADATA_LIST_ACCEPT } from "./kube-list.ts";

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

test("listPaged asks a page at a time, cuts each page's items before the next, and keeps the last page's resourceVersion", async () => {
  const asked: string[] = [];
  const kept: string[] = [];
  const pages: Record<string, object> = {
    "/api/v1/pods?labelSelector=a&limit=2": { metadata: { resourceVersion: "9", continue: "t/1" }, items: [{ metadata: { name: "a" } }, { metadata: { name: "b" } }] },
    "/api/v1/pods?labelSelector=a&limit=2&continue=t%2F1": { metadata: { resourceVersion: "9" }, items: [{ metadata: { name: "c" } }] },
  };
  const get = async (path: string) => {
    asked.push(path);
    // Each page is asked for only once the one before it was cut.
    assert.equal(kept.length, asked.length === 1 ? 0 : 2);
    return pages[path]!;
  };
  const keep = (o: { metadata?: { name?: string } }) => {
    kept.push(o.metadata!.name!);
    return o.metadata!.name!;
  };
  assert.deepEqual(await listPaged(get, "/api/v1/pods?labelSelector=a", keep, 2), { metadata: { resourceVersion: "9" }, items: ["a", "b", "c"] });
  assert.deepEqual(asked, Object.keys(pages));
});

test("listPaged lists again in one request when a later page's snapshot expired (410), and fails on any other refusal", async () => {
  const asked: string[] = [];
  const get = async (path: string) => {
    asked.push(path);
    if (path.includes("continue=")) throw new KubeGetError(410, "the provided continue parameter is too old");
    if (path.includes("limit=")) return { metadata: { continue: "old" }, items: [{ metadata: { name: "a" } }] };
    return { metadata: { resourceVersion: "12" }, items: [{ metadata: { name: "a" } }, { metadata: { name: "b" } }] };
  };
  const names = (o: { metadata?: { name?: string } }) => o.metadata!.name!;
  assert.deepEqual(await listPaged(get, "/api/v1/pods", names), { metadata: { resourceVersion: "12" }, items: ["a", "b"] });
  assert.deepEqual(asked, ["/api/v1/pods?limit=500", "/api/v1/pods?limit=500&continue=old", "/api/v1/pods"]);
  const denied = async () => {
    throw new KubeGetError(403, "pods is forbidden");
  };
  await assert.rejects(listPaged(denied, "/api/v1/pods", names), /pods is forbidden/);
  // A later page refused for another reason is that failure, not a second listing.
  const lost = async (path: string) => {
    if (path.includes("continue=")) throw new KubeGetError(500, "etcdserver: request timed out");
    return { metadata: { continue: "t" }, items: [] };
  };
  await assert.rejects(listPaged(lost, "/api/v1/pods", names), /etcdserver: request timed out/);
});
