import assert from "node:assert/strict";
import { test } from "vitest";
import { stateDigests } from "./state-record.ts";

const comp = (p: string) => `urn:pulumi:s::hpx::hpx:index:HydroProcess::${p}`;
const child = (type: string, name: string, parent: string, digest?: string) => ({
  urn: `urn:pulumi:s::hpx::hpx:index:HydroProcess$${type}::${name}`,
  type,
  parent: comp(parent),
  inputs: { metadata: { annotations: (digest === undefined ? {} : { "hpx.dev/applied": digest }) as Record<string, string> } },
});

test("the state's objects and their digests, per process; an object without a digest gets one that matches nothing", () => {
  const resources = [
    { urn: "urn:pulumi:s::hpx::pulumi:pulumi:Stack::hpx-s", type: "pulumi:pulumi:Stack" },
    { urn: comp("web"), type: "hpx:index:HydroProcess", parent: "urn:pulumi:s::hpx::pulumi:pulumi:Stack::hpx-s" },
    child("kubernetes:apps/v1:Deployment", "web", "web", "d1"),
    child("kubernetes:core/v1:Service", "web", "web", "s1"),
    child("kubernetes:core/v1:Secret", "web-env", "web"),
    { urn: comp("empty"), type: "hpx:index:HydroProcess" },
    { ...child("kubernetes:apps/v1:Deployment", "gone", "gone", "g"), delete: true },
  ];
  assert.deepEqual(stateDigests("s", resources), {
    web: { "Deployment/web": "d1", "Service/web": "s1", "Secret/web-env": "" },
    empty: {},
  });
});
