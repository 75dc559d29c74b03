import { describe, expect, it } from "vitest";
import { deletionOrder } from "./deletion-order.ts";
import type { LiveObject } from "./ownership.ts";

const obj = (kind: LiveObject["kind"], name: string, process: string | undefined = name): LiveObject => ({
  kind,
  name,
  uid: `${kind}-${name}`,
  partOf: undefined,
  stack: undefined,
  applied: undefined,
  process,
});

describe("deletionOrder", () => {
  it("puts each process's Service before its Deployment and its Secret, process by process", () => {
    // As liveObjects lists them: every Deployment, then every Service, then every Secret.
    const listed = [obj("Deployment", "b"), obj("Deployment", "a"), obj("Service", "b"), obj("Service", "a"), obj("Secret", "a-env", "a")];
    expect(deletionOrder(listed).map((o) => `${o.kind}/${o.name}`)).toEqual(["Service/a", "Deployment/a", "Secret/a-env", "Service/b", "Deployment/b"]);
  });

  it("groups an object without a process label by its own name, and leaves its input as it was", () => {
    const listed = [obj("Deployment", "x", undefined), obj("Service", "x", undefined), obj("Deployment", "w")];
    const before = [...listed];
    expect(deletionOrder(listed).map((o) => `${o.kind}/${o.name}`)).toEqual(["Deployment/w", "Service/x", "Deployment/x"]);
    expect(listed).toEqual(before);
  });
});
