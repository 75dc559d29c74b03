/**
 * The engine programs of a sharded stack's shards: the file's processes grouped by shard
 * (one pass), and the URNs of a targeted run by shard.
 */
import type * as pulumi from "@pulumi/pulumi";
import { HYDRO_PROCESS_TOKEN } from "../components/hydro-process-token.ts";
import type * as programs from "./program.ts";
import type { StackProgram } from "./program.ts";
import { shardOf } from "./shard-layout.ts";

type Process = Extract<StackProgram, { kind: "processes" }>["input"]["processes"][number];

/** A shard's processes, and their places in the file (the order of the summary). */
export interface ShardGroup {
  processes: Process[];
  order: Record<string, number>;
}

/**
 * The file's processes by shard, in one pass. Every shard's program keeps its group for
 * the whole run: a lookup table of the whole file per shard grew as N × shards (59 MB at
 * 10,000 processes in 128 shards).
 */
export function groupByShard(processes: readonly Process[], count: number): Map<number, ShardGroup> {
  const groups = new Map<number, ShardGroup>();
  processes.forEach((p, i) => {
    const k = shardOf(p.process_name, count);
    const group = groups.get(k) ?? groups.set(k, { processes: [], order: {} }).get(k)!;
    group.processes.push(p);
    group.order[p.process_name] = i;
  });
  return groups;
}

/** The program of shard `k` of `count`: its processes (and its part of `only`), with their places in the file. */
export function shardProgram(program: StackProgram, k: number, count: number, group: ShardGroup): pulumi.automation.PulumiFn {
  if (program.kind === "empty") return lazy((m) => m.emptyProgram(program.stackId));
  const { processes, order } = group;
  const only = program.input.only ? new Set([...program.input.only].filter((n) => shardOf(n, count) === k)) : undefined;
  const inner = lazy((m) => m.processProgram({ ...program.input, processes, only, beforeApply: undefined }));
  return async () => ({ ...(await inner()), order });
}

/**
 * A targeted run's URNs by shard. targets.ts lists each process's component before its
 * objects, so an object goes with the component before it.
 */
export function targetsByShard(stack: string, urns: readonly string[], count: number): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const component = `::${HYDRO_PROCESS_TOKEN}::`;
  let k = -1;
  for (const urn of urns) {
    if (urn.includes(component)) k = shardOf(urn.slice(urn.lastIndexOf("::") + 2), count);
    if (k < 0) throw new Error(`hpx: target ${urn} comes before any process of stack ${stack}`);
    (out.get(k) ?? out.set(k, []).get(k)!).push(urn);
  }
  return out;
}

/**
 * A program whose module, and @pulumi/kubernetes with it, loads when the engine runs it,
 * not when hpx starts (pulumi-sdk.ts says why).
 */
export function lazy(make: (m: typeof programs) => pulumi.automation.PulumiFn): pulumi.automation.PulumiFn {
  return async () => make(await import("./program.ts"))();
}
