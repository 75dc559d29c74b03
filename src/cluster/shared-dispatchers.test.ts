import { Agent, type RequestOptions } from "node:https";
import { expect, test } from "vitest";
import { HttpMethod, RequestContext } from "@kubernetes/client-node";
import { kubeConfigFor } from "./kube-config.ts";
import { keptAliveAgent } from "./shared-dispatchers.ts";

const b64 = (s: string) => Buffer.from(s).toString("base64");

/** A kubeconfig of one cluster and two users with client certificates, and one with a token. */
function kubeconfig(context: string, token = "t-1"): string {
  return `apiVersion: v1
kind: Config
clusters:
- {name: c, cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: ${b64("ca")}}}
users:
- {name: alice, user: {client-certificate-data: ${b64("alice-cert")}, client-key-data: ${b64("alice-key")}}}
- {name: bob, user: {client-certificate-data: ${b64("bob-cert")}, client-key-data: ${b64("bob-key")}}}
- {name: robot, user: {token: ${token}}}
contexts:
- {name: alice, context: {cluster: c, user: alice}}
- {name: bob, context: {cluster: c, user: bob}}
- {name: robot, context: {cluster: c, user: robot}}
current-context: ${context}
`;
}

const access = (text: string, context?: string) => ({ kubeconfig: text, kubeconfigPath: "/k", context, namespace: "n", clusterIdentifier: "c", simulated: false });

async function dispatcherOf(kc: ReturnType<typeof kubeConfigFor>) {
  const ctx = new RequestContext("https://127.0.0.1:6443/api/v1/namespaces/n", HttpMethod.GET);
  await kc.applySecurityAuthentication(ctx);
  return { dispatcher: ctx.getDispatcher(), authorization: ctx.getHeaders()["Authorization"] };
}

test("requests with the same TLS identity share one dispatcher (its keep-alive connections)", async () => {
  const kc = kubeConfigFor(access(kubeconfig("alice")));
  const first = await dispatcherOf(kc);
  const second = await dispatcherOf(kc);
  expect(first.dispatcher).toBeDefined();
  expect(second.dispatcher).toBe(first.dispatcher);
});

test("another client certificate gets its own dispatcher", async () => {
  const kc = kubeConfigFor(access(kubeconfig("alice")));
  const alice = await dispatcherOf(kc);
  kc.setCurrentContext("bob");
  const bob = await dispatcherOf(kc);
  kc.setCurrentContext("alice");
  const aliceAgain = await dispatcherOf(kc);
  expect(bob.dispatcher).not.toBe(alice.dispatcher);
  expect(aliceAgain.dispatcher).toBe(alice.dispatcher);
});

test("a token goes in each request's header, so a changed token keeps the dispatcher", async () => {
  const kc = kubeConfigFor(access(kubeconfig("robot", "t-1")));
  const before = await dispatcherOf(kc);
  // As a renewed token arrives: the user's entry replaced, the connections' identity unchanged.
  kc.loadFromString(kubeconfig("robot", "t-2"));
  const after = await dispatcherOf(kc);
  expect(before.authorization).toBe("Bearer t-1");
  expect(after.authorization).toBe("Bearer t-2");
  expect(after.dispatcher).toBe(before.dispatcher);
});

test("a plain GET with client-node's HTTPS options gets one kept-alive agent per TLS identity", async () => {
  const kc = kubeConfigFor(access(kubeconfig("alice")));
  const options = async () => {
    const opts: RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    return opts;
  };
  const first = keptAliveAgent(kc, await options());
  expect(first).toBeInstanceOf(Agent);
  expect(first).toMatchObject({ keepAlive: true, options: { timeout: 5_000 } });
  expect(first!.options.cert).toEqual(Buffer.from("alice-cert"));
  expect(keptAliveAgent(kc, await options())).toBe(first);
  kc.setCurrentContext("bob");
  const bob = keptAliveAgent(kc, await options());
  expect(bob).not.toBe(first);
  expect(bob!.options.cert).toEqual(Buffer.from("bob-cert"));
});

test("a proxied cluster keeps client-node's own agent", async () => {
  const kc = kubeConfigFor(access(kubeconfig("alice").replace('server: "https://127.0.0.1:6443"', 'server: "https://127.0.0.1:6443", proxy-url: "http://proxy:3128"')));
  const opts: RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  expect(opts.agent).toBeDefined();
  expect(keptAliveAgent(kc, opts)).toBe(opts.agent);
});
