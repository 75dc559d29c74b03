import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { podProblem } from "./process-info.ts";
import { rolloutState } from "./rollout.ts";
import { keepDeploymentFields, keepPodFields } from "./watched-fields.ts";

// As kube-apiserver 1.34.2 sent them to hpx's wait (managed fields included), from a cold up.
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../test/fixtures/watched/${name}.json`, import.meta.url), "utf8"));

test("a watched Deployment keeps its identity, labels, replicas and status, and nothing else", () => {
  const full = fixture("deployment");
  const size = JSON.stringify(full).length;
  const kept = keepDeploymentFields(fixture("deployment"));
  expect(JSON.parse(JSON.stringify(kept))).toEqual({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "p0008",
      namespace: "sh",
      uid: "c3f553b5-8c4a-4998-8a00-5b91d0bc1f28",
      resourceVersion: "12346",
      generation: 1,
      labels: full.metadata.labels,
      creationTimestamp: "2026-12-03T13:53:18Z",
    },
    spec: { replicas: 1 },
    status: full.status,
  });
  expect(JSON.stringify(kept).length).toBeLessThan(size / 3);
});

test("a watched pod keeps its phase, conditions and what podProblem reads of its containers", () => {
  const full = fixture("pod");
  const kept = keepPodFields(fixture("pod"));
  expect(JSON.parse(JSON.stringify(kept))).toEqual({
    metadata: {
      name: "p0008-84f89967c7-vc9pp",
      namespace: "sh",
      uid: "4aaf07dc-6de8-4615-9c60-fe50bd07f727",
      resourceVersion: "12091",
      generation: 1,
      labels: full.metadata.labels,
      creationTimestamp: "2026-12-03T13:53:19Z",
    },
    status: { phase: "Running", conditions: full.status.conditions, containerStatuses: [{ image: "nginxdemos/hello:0.4", restartCount: 0, state: {} }] },
  });
  expect(JSON.stringify(kept).length).toBeLessThan(JSON.stringify(full).length / 4);
});

test("a wait reads the same rollout and the same pod problem from the kept fields as from the whole objects", () => {
  const [d, p] = [fixture("deployment"), fixture("pod")];
  expect(rolloutState("p0008", keepDeploymentFields(fixture("deployment")), [keepPodFields(fixture("pod"))])).toEqual(rolloutState("p0008", d, [p]));
  expect(rolloutState("p0008", d, [p])).toEqual({ process: "p0008", ready: true });

  const pulling = (pod: ReturnType<typeof fixture>) => {
    pod.status.containerStatuses[0].state = { waiting: { reason: "ImagePullBackOff", message: "Back-off pulling image nginxdemos/hello:0.4" } };
    return pod;
  };
  const rolling = (dep: ReturnType<typeof fixture>) => ({ ...dep, status: { ...dep.status, availableReplicas: 0 } });
  const fullState = rolloutState("p0008", rolling(fixture("deployment")), [pulling(fixture("pod"))]);
  expect(fullState).toEqual({ process: "p0008", ready: false, reason: "image pull failure (ImagePullBackOff): Back-off pulling image nginxdemos/hello:0.4" });
  expect(rolloutState("p0008", keepDeploymentFields(rolling(fixture("deployment"))), [keepPodFields(pulling(fixture("pod")))])).toEqual(fullState);
  expect(podProblem(keepPodFields(pulling(fixture("pod"))))).toBe(fullState.reason);
});

test("cutting an object twice changes nothing: the cache may hand the same object to the listener again", () => {
  const once = JSON.stringify(keepPodFields(fixture("pod")));
  expect(JSON.stringify(keepPodFields(keepPodFields(fixture("pod"))))).toBe(once);
  const d = JSON.stringify(keepDeploymentFields(fixture("deployment")));
  expect(JSON.stringify(keepDeploymentFields(keepDeploymentFields(fixture("deployment"))))).toBe(d);
});
