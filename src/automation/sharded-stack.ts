/**
 * One hpx stack over a root Pulumi stack and its shards (shard-layout.ts), as the
 * operations' `EngineStack`: the same calls as for one Pulumi stack, with the processes'
 * engine runs split by shard, run side by side (bounded-pool.ts), and only in the shards
 * a change touches. An older hpx's single stack is read and previewed as it is, and split
 * into shards by the next update (shard-settle.ts).
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import type { ProcessPlan } from "./plan-summary.ts";
import { upStack } from "./engine-runs.ts";
import { withRootHeld } from "./root-hold.ts";
import type { StackProgram } from "./program.ts";
import { settleBounded, shardParallel } from "./bounded-pool.ts";
import { shardCount, shardStackName, rehomeUrn } from "./shard-layout.ts";
import { groupByShard, lazy, shardProgram, targetsByShard } from "./shard-program.ts";
import { runShards, shardFailure, type RunOptions, type ShardRun } from "./shard-runs.ts";
import { settleShards, writeOutputs, type Layout } from "./shard-settle.ts";
import { componentNames, mergeStates, rootHoldsProcesses, rootRecord } from "./shard-state.ts";
import { forgetResources, planState, recordStackId, type StackState } from "./stack-state.ts";
import { readCheckpoint, readCheckpointView } from "./state-files.ts";
import { createFileStack } from "./file-stack-create.ts";
import { removeFileStack } from "./file-stack-remove.ts";
import { stateStamp } from "./state-stamp.ts";
import { openStack } from "./workspace.ts";
import { withPlanFile } from "./plan-temp-file.ts";
import { upClosing } from "./run-channels.ts";
import { StackError, StackLockedError } from "../errors.ts";

type Stack = pulumi.automation.Stack;

/** A saved plan of a sharded stack: the engine's plan of each shard. */
interface ShardedPlan {
  hpx_shards: number;
  plans: Record<string, unknown>;
}
/** Shard stacks removed at once: a `pulumi stack rm` is light (no engine, no plugin). */
const REMOVE_AT_ONCE = 4;

const isShardedPlan = (p: unknown): p is ShardedPlan => typeof p === "object" && p !== null && "hpx_shards" in p;

export class ShardedStack {
  private readonly opened = new Map<number, Promise<Stack>>();
  private last: Layout | undefined;

  readonly name: string;
  private readonly url: string;
  private readonly log?: (line: string) => void;
  private readonly openRoot: () => Promise<Stack>;
  private rootOpened: Promise<Stack> | undefined;

  /** `openRoot` runs once, when a call first needs the Pulumi CLI (reading a file backend does not). */
  constructor(name: string, url: string, openRoot: () => Promise<Stack>, log?: (line: string) => void) {
    this.name = name;
    this.url = url;
    this.openRoot = openRoot;
    this.log = log;
  }

  /** The root's Pulumi stack, opened. */
  root(): Promise<Stack> {
    return (this.rootOpened ??= this.openRoot());
  }

  /** Shard `k`'s Pulumi stack, opened (created when new) once per run. */
  shard(k: number): Promise<Stack> {
    let s = this.opened.get(k);
    if (!s) {
      // The root's opening already named the Pulumi CLI every shard uses.
      const log = this.log && ((line: string) => line.startsWith("pulumi: ") || this.log!(line));
      s = this.openShard(shardStackName(this.name, k), log);
      this.opened.set(k, s);
    }
    return s;
  }

  /** On a file backend a new shard is created without a CLI, with its root's secrets (file-stack-create.ts). */
  private openShard(name: string, log?: (line: string) => void): Promise<Stack> {
    if (this.url.startsWith("file://")) createFileStack(this.url, name, readCheckpointView(this.url, this.name)?.secrets_providers);
    return openStack(name, this.url, log, { initialUpdate: false });
  }

  private async deployment(stack: string, open: () => Promise<Stack>) {
    if (this.url.startsWith("file://")) return readCheckpointView(this.url, stack);
    return (await (await open()).exportStack()).deployment as Layout["root"];
  }

  /** The root's and the shards' states now. */
  async read(): Promise<Layout> {
    const root = await this.deployment(this.name, () => this.root());
    const { shards: count } = rootRecord(root);
    // Through the CLI (not a file backend), a few at a time: each read starts a Pulumi CLI.
    const read = await settleBounded(Array.from({ length: count }, (_, k) => k), this.url.startsWith("file://") ? count || 1 : shardParallel() * 2, async (k) => ({
      name: shardStackName(this.name, k),
      deployment: await this.deployment(shardStackName(this.name, k), () => this.shard(k)),
    }));
    const shards = read.sort((a, b) => a.item - b.item).map(({ result }) => {
      if (result.status === "rejected") throw result.reason;
      return result.value;
    });
    this.last = { root, shards, count };
    return this.last;
  }

  async readState(): Promise<StackState> {
    const { root, shards } = await this.read();
    return mergeStates(this.name, root, shards);
  }

  recordStackId(stackId: string): Promise<void> {
    return this.root().then((root) => recordStackId(root, stackId));
  }

  /** One fingerprint of the root's and every shard's state (a saved plan holds for all of them or none). */
  async planState(): Promise<string> {
    const layout = await this.read();
    const parts = [await planState(await this.root())];
    for (let k = 0; k < layout.count; k++) parts.push(await planState(await this.shard(k)));
    return parts.length === 1 ? parts[0]! : `sha256:${createHash("sha256").update(parts.join("\n")).digest("hex")}`;
  }

  /**
   * Whether the root runs the processes itself, as one Pulumi stack: a stack never split
   * (an older hpx's, or one whose file has always fitted in one shard) while its file fits
   * in one shard. Shards pay for themselves only past that size: a sharded stack pays for
   * its root on top of its shards (an update of the root, ~2 s, whenever the root's record
   * changes; root-hold.ts), which a stack of a few processes would pay for nothing. An
   * older hpx's single stack is also read and previewed as it is,
   * whatever its size; its next update splits it.
   */
  private single(layout: Layout, program: StackProgram, use: "preview" | "up"): boolean {
    if (layout.count > 0) return false;
    const fits = program.kind === "empty" || shardCount(program.input.processes.length, 0) === 1;
    return fits || (use === "preview" && rootHoldsProcesses(layout.root));
  }

  private refuseHalfSplit(layout: Layout): void {
    if (layout.count > 0 && rootHoldsProcesses(layout.root)) {
      throw new StackError(`stack ${this.name} is being split into shards (a run was stopped while moving its processes)`, undefined, [
        `nothing was changed; hpx up -s ${this.name} finishes the split`,
      ]);
    }
  }

  async preview(program: StackProgram, opts: RunOptions): Promise<ProcessPlan[]> {
    return (await this.previewShards(program, opts, false)).plans;
  }

  async previewPlan(program: StackProgram, opts: RunOptions): Promise<{ plans: ProcessPlan[]; enginePlan: unknown }> {
    const { plans, enginePlans, count } = await this.previewShards(program, opts, true);
    if (count === 0) return { plans, enginePlan: enginePlans["-1"] };
    return { plans, enginePlan: { hpx_shards: count, plans: enginePlans } satisfies ShardedPlan };
  }

  private async previewShards(program: StackProgram, opts: RunOptions, savePlan: boolean) {
    const layout = this.last ?? (await this.read());
    if (this.single(layout, program, "preview")) {
      const run = await runShards([{ k: -1, name: this.name, open: () => this.root(), program: lazy((m) => m.pulumiProgram(program)), target: opts.target }], "preview", opts, savePlan);
      return { plans: run.plans, enginePlans: run.enginePlans, count: 0 };
    }
    this.refuseHalfSplit(layout);
    const count = program.kind === "processes" ? shardCount(program.input.processes.length, layout.count) : layout.count;
    const runs = this.shardRuns(program, opts.target, count, layout, savePlan ? (stack) => this.recordSalt(stack) : undefined);
    const result = await runShards(runs, "preview", opts, savePlan);
    return { plans: result.plans, enginePlans: result.enginePlans, count };
  }

  /** A new shard's secrets salt is in its workspace only until an update records it, and a saved plan must be readable elsewhere. */
  private async recordSalt(stack: Stack): Promise<void> {
    const d = await this.deployment(stack.name, async () => stack);
    if (!d?.secrets_providers) await upClosing(stack, async () => ({}));
  }

  /** The engine runs of the shards a program touches: all of them, or those of the targeted processes. */
  private shardRuns(program: StackProgram, target: string[] | undefined, count: number, layout: Layout, prepare?: (stack: Stack) => Promise<void>): ShardRun[] {
    const targets = target ? targetsByShard(this.name, target, count) : undefined;
    const ks = targets ? [...targets.keys()].sort((a, b) => a - b) : Array.from({ length: Math.max(count, layout.count) }, (_, k) => k);
    const groups = program.kind === "processes" ? groupByShard(program.input.processes, count) : undefined;
    return ks.map((k) => {
      const name = shardStackName(this.name, k);
      const group = groups?.get(k) ?? { processes: [], order: {} };
      const processes = program.kind === "processes" ? group.processes.map((p) => p.process_name) : componentNames(layout.shards[k]?.deployment);
      return { k, name, open: () => this.shard(k), prepare, processes, program: shardProgram(program, k, count, group), target: targets?.get(k)?.map((u) => rehomeUrn(u, this.name, name)) };
    });
  }

  async up(program: StackProgram, opts: RunOptions & { enginePlan?: unknown; since?: string }): Promise<{ plans: ProcessPlan[]; outputs: pulumi.automation.OutputMap; untouched?: boolean }> {
    const { enginePlan, since, ...rest } = opts;
    let layout = await this.read();
    const plain = enginePlan !== undefined && !isShardedPlan(enginePlan);
    if (layout.count === 0 && (plain || (enginePlan === undefined && this.single(layout, program, "up")))) {
      // One Pulumi stack (single() says when), or an update held to a plan made of one: run as it is.
      const root = await this.root();
      const { plans } = await withPlanFile(enginePlan, (plan) => upStack(root, { ...rest, program: lazy((m) => m.pulumiProgram(program)), plan }));
      return { plans, outputs: (await this.readState()).outputs.all };
    }
    const saved = isShardedPlan(enginePlan) ? enginePlan : undefined;
    if (program.kind === "processes") layout = await this.asStackLock(settleShards(this, program.input.processes.length, { keepCount: saved !== undefined, log: opts.log }));
    const count = saved?.hpx_shards ?? (program.kind === "processes" ? shardCount(program.input.processes.length, layout.count) : layout.count);
    // A plan's secrets are encrypted with each shard's salt, which a fresh workspace (another machine) must adopt first.
    const adoptSalt = saved ? async (stack: Stack) => void (await planState(stack)) : undefined;
    const runs = this.shardRuns(program, program.kind === "processes" ? rest.target : undefined, count, layout, adoptSalt);
    const stackId = program.kind === "processes" ? program.input.mark.stackId : program.stackId;
    const beforeApply = program.kind === "processes" ? program.input.beforeApply : program.beforeApply;
    const record = rootRecord(layout.root);
    const cluster = program.kind === "processes" ? program.input.cluster : record.cluster;
    const outputs = { stackId, ...(cluster !== undefined ? { cluster } : {}), shards: program.kind === "empty" ? 0 : count };
    let result: Awaited<ReturnType<typeof runShards>> | undefined;
    let untouched: boolean | undefined;
    const root = { name: this.name, url: this.url, stack: () => this.root(), read: () => this.deployment(this.name, () => this.root()), write: async (o: typeof outputs) => writeOutputs(await this.root(), o, { merge: true }) };
    // Pruning runs under the root's lock too: it sees no other run's objects half made.
    await withRootHeld(root, outputs, rest, async () => {
      if (since !== undefined) untouched = stateStamp(this.url, this.name) === since;
      await beforeApply?.();
      if (program.kind === "empty" && program.deleteAll) {
        await program.deleteAll();
        await this.removeShards(count, true);
      } else {
        result = await runShards(runs, rest.verb ?? "update", { ...rest, plans: saved?.plans }, false);
        if (result.failed.length > 0) throw shardFailure(this.name, rest.verb ?? "update", result, count);
        if (program.kind === "empty") await this.removeShards(count);
      }
    });
    const after = await this.readState();
    return { plans: result?.plans ?? [], outputs: after.outputs.all, ...(untouched !== undefined ? { untouched } : {}) };
  }

  /**
   * After a destroy: the shards' stacks go (a later up makes them again). With `forget`,
   * their objects were deleted directly, and their states go with them (`--force`).
   * A file backend's are removed by hpx itself (file-stack-remove.ts); other backends'
   * through the root's workspace, one Pulumi CLI each, without opening them: at 2,000
   * processes, opening, emptying and removing 32 shards one by one took most of a
   * destroy's time.
   */
  private async removeShards(count: number, forget = false): Promise<void> {
    const shards = Array.from({ length: count }, (_, k) => k);
    const direct = this.url.startsWith("file://");
    // Without `forget` a shard still holding resources is the CLI's to refuse, as before.
    const byFile = (k: number) => direct && (forget || (readCheckpoint(this.url, shardStackName(this.name, k))?.resources ?? []).length === 0);
    const viaFile = new Set(shards.filter(byFile));
    for (const k of viaFile) {
      removeFileStack(this.url, shardStackName(this.name, k));
      this.opened.delete(k);
    }
    const rest = shards.filter((k) => !viaFile.has(k));
    if (rest.length > 0) {
      const root = await this.root();
      await settleBounded(rest, REMOVE_AT_ONCE, async (k) => {
        await root.workspace.removeStack(shardStackName(this.name, k), { force: forget });
        this.opened.delete(k);
      }).then((done) => {
        const failed = done.find((d) => d.result.status === "rejected");
        if (failed) throw (failed.result as PromiseRejectedResult).reason;
      });
    }
    const how = rest.length === 0 ? " (file backend: no Pulumi CLI)" : "";
    this.log?.(`shards: removed ${count} empty shard stack(s) of ${this.name}${how}`);
  }

  forget(only?: ReadonlySet<string>): Promise<number> {
    return this.asStackLock(this.forgetIn(only));
  }

  /** A shard's lock (a killed run's) is the hpx stack's lock: `hpx cancel -s STACK` clears it. */
  private async asStackLock<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (err) {
      if (err instanceof StackLockedError && err.stackName !== this.name) throw new StackLockedError(this.name, err.hints, err.detail);
      throw err;
    }
  }

  private async forgetIn(only?: ReadonlySet<string>): Promise<number> {
    const layout = await this.read();
    let n = 0;
    if (rootHoldsProcesses(layout.root)) n += await forgetResources(await this.root(), only);
    for (let k = 0; k < layout.count; k++) {
      if (componentNames(layout.shards[k]?.deployment).length === 0) continue;
      const stack = await this.shard(k);
      n += await forgetResources(stack, only ? new Set([...only].map((u) => rehomeUrn(u, this.name, stack.name))) : undefined);
    }
    return n;
  }

  async cancel(): Promise<void> {
    const layout = await this.read();
    await (await this.root()).cancel();
    await settleBounded(Array.from({ length: layout.count }, (_, k) => k), shardParallel(), async (k) => (await this.shard(k)).cancel());
  }
}
