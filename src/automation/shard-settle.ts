/**
 * Puts every process of a stack in its shard before an update: an older hpx's single
 * stack is split into shards, and a stack that outgrew its shards gets twice as many.
 * Resources move between states with `pulumi state move`, so no object is deleted or
 * made anew (their uids stay). Each step leaves a state the next run reads correctly, so
 * a run killed half-way is finished by the next one.
 */
import type * as pulumi from "@pulumi/pulumi";
import { shardCount, shardOf, shardStackName } from "./shard-layout.ts";
import { componentNames, mergeStates, rootOutputs, rootRecord, type Deployment, type NamedDeployment } from "./shard-state.ts";
import { forgetResources } from "./stack-state.ts";
import { moveResources } from "./state-move.ts";
import { processUrn } from "./targets.ts";

/** A stack's states as read: the root's and its shards'. */
export interface Layout {
  root: Deployment | undefined;
  shards: NamedDeployment[];
  /** The shard count the root records. */
  count: number;
}

/** What settling needs of a sharded stack. */
export interface ShardSet {
  readonly name: string;
  root(): Promise<pulumi.automation.Stack>;
  shard(k: number): Promise<pulumi.automation.Stack>;
  read(): Promise<Layout>;
}

/**
 * Sets the root resource's outputs of a stack's state (creating the root if the state has
 * none); with `merge`, over the outputs it has.
 */
export async function writeOutputs(stack: pulumi.automation.Stack, outputs: Record<string, unknown>, opts: { dropOthers?: boolean; merge?: boolean } = {}): Promise<void> {
  const exported = await stack.exportStack();
  const deployment = (exported.deployment ??= {}) as Deployment & { manifest?: unknown };
  const resources = (deployment.resources ??= []);
  let root = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  if (!root) {
    root = { urn: `urn:pulumi:${stack.name}::hpx::pulumi:pulumi:Stack::hpx-${stack.name}`, type: "pulumi:pulumi:Stack" };
    resources.unshift(root);
  }
  root.outputs = opts.merge ? { ...root.outputs, ...outputs } : outputs;
  if (opts.dropOthers) deployment.resources = [root];
  await stack.importStack(exported);
}

/** Which shard each recorded process sits in now (the root is -1). */
function placements(layout: Layout): { source: number; names: string[] }[] {
  return [{ source: -1, names: componentNames(layout.root) }, ...layout.shards.map((s, k) => ({ source: k, names: componentNames(s.deployment) }))];
}

/**
 * Moves misplaced processes to their shards for a file of `processes` processes and
 * returns the layout afterwards. With `keepCount` (an update held to a saved plan) the
 * shard count stays as the plan has it.
 */
export async function settleShards(set: ShardSet, processes: number, opts: { keepCount?: boolean; log?: (line: string) => void } = {}): Promise<Layout> {
  let layout = await set.read();
  const placed = placements(layout);
  const recorded = placed.reduce((n, p) => n + p.names.length, 0);
  const count = opts.keepCount ? Math.max(layout.count, 1) : shardCount(Math.max(processes, recorded), layout.count);
  const moves = new Map<string, { source: number; dest: number; names: string[] }>();
  for (const { source, names } of placed) {
    for (const name of names) {
      const dest = shardOf(name, count);
      if (dest === source) continue;
      const key = `${source}>${dest}`;
      (moves.get(key) ?? moves.set(key, { source, dest, names: [] }).get(key)!).names.push(name);
    }
  }
  if (moves.size === 0 && count === layout.count) return layout;
  const record = rootRecord(layout.root);
  if (count !== layout.count) {
    // Recorded first: a run killed from here on reads the root and every shard, wherever a process sits.
    await writeOutputs(await set.root(), { ...rootOutputs(layout.root), shards: count });
    opts.log?.(`shards: stack ${set.name} has ${count} shard(s) (was ${layout.count}) for ${Math.max(processes, recorded)} process(es)`);
  }
  const touched = new Set<number>();
  for (const { source, dest, names } of moves.values()) {
    const from = source < 0 ? await set.root() : await set.shard(source);
    const to = await set.shard(dest);
    // What the shard held when settling began: moves into it since came from other sources.
    const there = new Set(placed.find((p) => p.source === dest)?.names);
    // Already in the shard: a move cut short between its two writes (the destination is written first).
    const twice = names.filter((n) => there.has(n));
    if (twice.length > 0) await forgetResources(from, new Set(twice.map((n) => processUrn(from.name, n))));
    const urns = names.filter((n) => !there.has(n)).map((n) => processUrn(from.name, n));
    await moveResources(from, to, urns);
    opts.log?.(`shards: moved ${names.length} process(es) from ${from.name} to ${to.name}`);
    touched.add(dest);
    if (source >= 0) touched.add(source);
  }
  layout = await set.read();
  const merged = mergeStates(set.name, layout.root, layout.shards).outputs;
  const desired = merged.desired?.processes ?? [];
  const index = new Map(desired.map((p, i) => [p.process_name, i]));
  for (const k of [...touched].sort((a, b) => a - b)) {
    const mine = desired.filter((p) => shardOf(p.process_name, count) === k);
    const pick = <V>(all: Record<string, V>) => Object.fromEntries(Object.entries(all).filter(([name]) => shardOf(name, count) === k));
    await writeOutputs(await set.shard(k), {
      stackId: merged.stackId,
      desired: { processes: mine },
      cluster: merged.cluster,
      processes: pick((merged.all.processes?.value as Record<string, unknown>) ?? {}),
      created: pick(merged.created),
      order: Object.fromEntries(mine.map((p) => [p.process_name, index.get(p.process_name)!])),
    });
  }
  if (componentNames(layout.root).length === 0 && rootOutputs(layout.root).desired !== undefined) {
    // The root keeps only its record: the processes' outputs and the provider went with them.
    await writeOutputs(await set.root(), { stackId: record.stackId ?? merged.stackId, cluster: record.cluster ?? merged.cluster, shards: count }, { dropOthers: true });
    opts.log?.(`shards: stack ${set.name} is split into ${count} shard(s) (${shardStackName(set.name, 0)} …); no object was changed`);
  }
  return set.read();
}
