import assert from "node:assert/strict";
import { test } from "vitest";
import { SIMULATED_LABEL, simulatedNode } from "./simulated-nodes.ts";

test("simulatedNode: kwok-managed, labelled simulated, documentation-range addresses", () => {
  const node = simulatedNode(2);
  assert.equal(node.metadata?.name, "hpx-node-2");
  assert.equal(node.metadata?.annotations?.["kwok.x-k8s.io/node"], "fake");
  assert.equal(node.metadata?.labels?.[SIMULATED_LABEL], "true");
  assert.deepEqual(node.status?.addresses, [
    { type: "InternalIP", address: "198.51.100.12" },
    { type: "ExternalIP", address: "203.0.113.12" },
    { type: "Hostname", address: "hpx-node-2" },
    { type: "InternalDNS", address: "localhost" },
  ]);
  assert.equal(node.spec?.taints, undefined, "untainted, so processes need no toleration");
});

test("simulatedNode: distinct external IPs across nodes", () => {
  const ips = [0, 1, 2, 3].map((i) => simulatedNode(i).status?.addresses?.find((a) => a.type === "ExternalIP")?.address);
  assert.equal(new Set(ips).size, 4);
});
