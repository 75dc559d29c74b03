import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { checkpointView, deploymentView } from "./checkpoint-view.ts";
import { mergeStates, type Deployment } from "./shard-state.ts";
import { stateDigests } from "./state-record.ts";

const shard = "s.hpx-shard-0";
const component = `urn:pulumi:${shard}::hpx::hpx:index:HydroProcess::web`;
const deployment: Deployment = {
  secrets_providers: { type: "passphrase", state: { salt: "v1:abc" } },
  resources: [
    { urn: `urn:pulumi:${shard}::hpx::pulumi:pulumi:Stack::hpx-${shard}`, type: "pulumi:pulumi:Stack", outputs: { desired: { processes: [{ process_name: "web" }] }, order: { web: 0 }, created: { web: "t" }, processes: { web: { ports: [] } } } },
    { urn: component, type: "hpx:index:HydroProcess", parent: `urn:pulumi:${shard}::hpx::pulumi:pulumi:Stack::hpx-${shard}` },
    {
      urn: `urn:pulumi:${shard}::hpx::hpx:index:HydroProcess$kubernetes:apps/v1:Deployment::web`,
      type: "kubernetes:apps/v1:Deployment",
      parent: component,
      inputs: { metadata: { annotations: { "hpx.dev/applied": "hmac-sha256:d1", other: "x" } }, spec: { replicas: 1 } } as never,
      outputs: { status: { readyReplicas: 1 }, metadata: { uid: "u" } },
    },
    { urn: `urn:pulumi:${shard}::hpx::hpx:index:HydroProcess$kubernetes:core/v1:Service::old`, type: "kubernetes:core/v1:Service", parent: component, delete: true, outputs: { spec: {} } },
  ],
};

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

test("a view holds URNs, parents, deletions, the applied digests and the stack's outputs, nothing else", () => {
  const view = deploymentView(deployment);
  expect(view.secrets_providers).toEqual(deployment.secrets_providers);
  expect(view.resources![2]).toEqual({ urn: deployment.resources![2]!.urn, type: "kubernetes:apps/v1:Deployment", parent: component, inputs: { metadata: { annotations: { "hpx.dev/applied": "hmac-sha256:d1" } } } });
  expect(view.resources![3]).toEqual({ urn: deployment.resources![3]!.urn, type: "kubernetes:core/v1:Service", parent: component, delete: true });
  expect(view.resources![0]!.outputs).toEqual(deployment.resources![0]!.outputs);
});

test("hpx reads the same state from a view as from the whole checkpoint", () => {
  const whole = mergeStates("s", undefined, [{ name: shard, deployment }]);
  const viewed = mergeStates("s", undefined, [{ name: shard, deployment: deploymentView(deployment) }]);
  expect(viewed.outputs).toEqual(whole.outputs);
  expect(stateDigests("s", viewed.resources)).toEqual(stateDigests("s", whole.resources));
  expect(stateDigests("s", viewed.resources)).toEqual({ web: { "Deployment/web": "hmac-sha256:d1" } });
});

test("a stored view is used for the same bytes only, and is private to its owner", () => {
  dir = mkdtempSync(join(tmpdir(), "hpx-view-"));
  const cache = join(dir, "cache");
  let parses = 0;
  const parse = (d: Deployment) => () => (parses++, d);
  const bytes = Buffer.from(JSON.stringify(deployment));
  expect(checkpointView(cache, "/state/s.json", bytes, parse(deployment))).toEqual(deploymentView(deployment));
  expect(checkpointView(cache, "/state/s.json", Buffer.from(bytes), parse(deployment))).toEqual(deploymentView(deployment));
  expect(parses).toBe(1);
  const [file] = readdirSync(cache);
  expect(statSync(join(cache, file!)).mode & 0o777).toBe(0o600);
  const changed: Deployment = { resources: deployment.resources!.slice(0, 2) };
  expect(checkpointView(cache, "/state/s.json", Buffer.from(JSON.stringify(changed)), parse(changed))).toEqual(deploymentView(changed));
  expect(parses).toBe(2);
  // Another checkpoint's view is kept apart; a damaged view is made again.
  checkpointView(cache, "/state/t.json", bytes, parse(deployment));
  expect(readdirSync(cache)).toHaveLength(2);
  writeFileSync(join(cache, file!), "{");
  expect(checkpointView(cache, "/state/s.json", Buffer.from(JSON.stringify(changed)), parse(changed))).toEqual(deploymentView(changed));
  expect(parses).toBe(4);
  expect(JSON.parse(readFileSync(join(cache, file!), "utf8")).view).toEqual(deploymentView(changed));
});
