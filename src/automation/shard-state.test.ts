import { expect, test } from "vitest";
import { componentNames, mergeStates, rootRecord, type Deployment } from "./shard-state.ts";

const spec = (name: string) => ({ process_name: name, container: { image_uri: "busybox" } }) as never;
const process = (stack: string, name: string) => [
  { urn: `urn:pulumi:${stack}::hpx::hpx:index:HydroProcess::${name}`, type: "hpx:index:HydroProcess" },
  { urn: `urn:pulumi:${stack}::hpx::hpx:index:HydroProcess$kubernetes:apps/v1:Deployment::${name}`, type: "kubernetes:apps/v1:Deployment", parent: `urn:pulumi:${stack}::hpx::hpx:index:HydroProcess::${name}` },
];
const root = (stack: string, outputs: Record<string, unknown>, more: Deployment["resources"] = []): Deployment => ({
  resources: [{ urn: `urn:pulumi:${stack}::hpx::pulumi:pulumi:Stack::hpx-${stack}`, type: "pulumi:pulumi:Stack", outputs }, ...more],
});

test("shards read as one stack: URNs named after the hpx stack, the desired state in file order", () => {
  const r = root("s", { stackId: "a".repeat(32), cluster: { uid: "u1" }, shards: 2 });
  const s0 = root("s.hpx-shard-0", { desired: { processes: [spec("b")] }, order: { b: 1 }, created: { b: "t1" }, processes: { b: {} } }, process("s.hpx-shard-0", "b"));
  const s1 = root("s.hpx-shard-1", { desired: { processes: [spec("a"), spec("c")] }, order: { a: 0, c: 2 }, created: { a: "t0", c: "t2" }, processes: { a: {}, c: {} } }, [
    ...process("s.hpx-shard-1", "a"),
    ...process("s.hpx-shard-1", "c"),
  ]);
  const merged = mergeStates("s", r, [
    { name: "s.hpx-shard-0", deployment: s0 },
    { name: "s.hpx-shard-1", deployment: s1 },
  ]);
  expect(merged.outputs.stackId).toBe("a".repeat(32));
  expect(merged.outputs.cluster).toEqual({ uid: "u1" });
  expect(merged.outputs.desired!.processes.map((p) => p.process_name)).toEqual(["a", "b", "c"]);
  expect(merged.outputs.created).toEqual({ a: "t0", b: "t1", c: "t2" });
  expect(merged.resources.filter((x) => x.type !== "pulumi:pulumi:Stack").map((x) => x.urn)).toEqual([
    "urn:pulumi:s::hpx::hpx:index:HydroProcess::b",
    "urn:pulumi:s::hpx::hpx:index:HydroProcess$kubernetes:apps/v1:Deployment::b",
    "urn:pulumi:s::hpx::hpx:index:HydroProcess::a",
    "urn:pulumi:s::hpx::hpx:index:HydroProcess$kubernetes:apps/v1:Deployment::a",
    "urn:pulumi:s::hpx::hpx:index:HydroProcess::c",
    "urn:pulumi:s::hpx::hpx:index:HydroProcess$kubernetes:apps/v1:Deployment::c",
  ]);
  expect(merged.resources.find((x) => x.urn.endsWith("Deployment::a"))!.parent).toBe("urn:pulumi:s::hpx::hpx:index:HydroProcess::a");
});

test("an older hpx's single stack reads as it is; a process moved half-way counts once, from its shard", () => {
  const legacy = root("s", { stackId: "b".repeat(32), desired: { processes: [spec("x"), spec("y")] }, created: { x: "t", y: "t" } }, [...process("s", "x"), ...process("s", "y")]);
  expect(rootRecord(legacy).shards).toBe(0);
  expect(componentNames(legacy)).toEqual(["x", "y"]);
  const alone = mergeStates("s", legacy, []);
  expect(alone.outputs.desired!.processes.map((p) => p.process_name)).toEqual(["x", "y"]);
  expect(alone.resources).toHaveLength(5);
  const half = root("s.hpx-shard-0", { desired: { processes: [spec("x")] }, order: { x: 0 } }, process("s.hpx-shard-0", "x"));
  const merged = mergeStates("s", { resources: [{ ...legacy.resources![0]!, outputs: { ...legacy.resources![0]!.outputs, shards: 1 } }, ...legacy.resources!.slice(1)] }, [{ name: "s.hpx-shard-0", deployment: half }]);
  expect(merged.resources.filter((r) => r.type === "hpx:index:HydroProcess").map((r) => r.urn)).toEqual(["urn:pulumi:s::hpx::hpx:index:HydroProcess::y", "urn:pulumi:s::hpx::hpx:index:HydroProcess::x"]);
  expect(merged.outputs.desired!.processes.map((p) => p.process_name)).toEqual(["x", "y"]);
});

test("a new or destroyed stack records no desired state", () => {
  const merged = mergeStates("s", root("s", { stackId: "c".repeat(32) }), []);
  expect(merged.outputs.desired).toBeUndefined();
  expect(merged.outputs.stackId).toBe("c".repeat(32));
});
