import { expect, test } from "vitest";
import { shardOf } from "./shard-layout.ts";
import { groupByShard, targetsByShard } from "./shard-program.ts";

test("a targeted run's URNs go to their processes' shards, objects with the component before them", () => {
  const urn = (p: string) => `urn:pulumi:s::hpx::hpx:index:HydroProcess::${p}`;
  const dep = (p: string) => `urn:pulumi:s::hpx::hpx:index:HydroProcess$kubernetes:apps/v1:Deployment::${p}`;
  const byShard = targetsByShard("s", [urn("web"), dep("web"), urn("db"), dep("db")], 4);
  const k = (p: string) => shardOf(p, 4);
  if (k("web") === k("db")) expect(byShard.get(k("web"))).toEqual([urn("web"), dep("web"), urn("db"), dep("db")]);
  else {
    expect(byShard.get(k("web"))).toEqual([urn("web"), dep("web")]);
    expect(byShard.get(k("db"))).toEqual([urn("db"), dep("db")]);
  }
  expect(() => targetsByShard("s", [dep("web")], 4)).toThrow("hpx: target " + dep("web") + " comes before any process of stack s");
});

test("the file's processes go to their shards once each, keeping their places in the file", () => {
  const names = Array.from({ length: 40 }, (_, i) => `p${i}`);
  const processes = names.map((process_name) => ({ process_name }) as never);
  const groups = groupByShard(processes, 8);
  const seen: string[] = [];
  for (const [k, group] of groups) {
    const inShard = group.processes.map((p: { process_name: string }) => p.process_name);
    expect(inShard).toEqual(names.filter((n) => shardOf(n, 8) === k));
    expect(group.order).toEqual(Object.fromEntries(inShard.map((n) => [n, names.indexOf(n)])));
    seen.push(...inShard);
  }
  expect(seen.sort()).toEqual([...names].sort());
});
