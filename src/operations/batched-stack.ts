import type { LiveObject } from "../cluster/ownership.ts";
import { foreignObjects } from "../cluster/ownership.ts";
import type { ProcessInfo } from "../cluster/process-info.ts";
import { processObjectRefs } from "../components/build.ts";
import type { StackMark } from "../components/stack-mark.ts";
import { ProcessExistsError, UnknownProcessError } from "../errors.ts";
import { EMPTY_STATE, type DesiredState } from "../spec/desired-state.ts";
import type { ProcessSource } from "../spec/load-process-file.ts";
import { ChangeQueue, type Change } from "./change-queue.ts";
import { cullEdit, startEdit, stopEdit, stopGroupEdit, type StackEdit } from "./edit-stack.ts";
import type { Clock } from "./ports.ts";

/** What a batched stack needs of the world (batched-stack-deps.ts gives the real ones; tests give fakes). */
export interface BatchedDeps {
  clock: Clock;
  log: (line: string) => void;
  /** Aborted on shutdown. */
  signal: AbortSignal;
  /** The stack's stored desired state now. */
  stored: () => Promise<DesiredState>;
  /** Applies an edit of the stored state with `up` (no wait for pods); the state it applied, undefined if nothing to do. */
  apply: (edit: StackEdit) => Promise<DesiredState | undefined>;
  /** Reads the processes' secrets now; a missing one is a located SpecError. */
  checkSecrets: (source: ProcessSource) => Promise<void>;
  /** The namespace's objects and the stack's mark, to refuse names another owner has. */
  live: () => Promise<{ objects: LiveObject[]; mark: StackMark }>;
  /** The stack's processes as the cluster has them (Hydroplane's answers). */
  list: (group: string | undefined) => Promise<ProcessInfo[]>;
}

const PENDING_REASON = "accepted; waiting for the engine";

/**
 * Hydroplane's verbs over an hpx stack with Hydroplane's latency: a change is checked
 * (a taken name is 409, an unknown one 404, a missing secret 422, all before any answer)
 * and answered at once; the changes accepted meanwhile are applied in batches, one engine
 * run each (change-queue.ts). Listings show accepted starts as STARTING and hide accepted
 * stops; a start that was dropped (it failed three runs) is listed as FAILED with the
 * reason until it is started again or stopped.
 */
export class BatchedStack {
  private readonly stack: string;
  private readonly deps: BatchedDeps;
  private readonly queue: ChangeQueue;
  /** The stored desired state as last read or applied: checks project the pending changes onto it. */
  private known: DesiredState = EMPTY_STATE;
  /** Starts dropped after failing, by name: why, and what the request asked for. */
  private readonly failed = new Map<string, { reason: string; group: string | null; at: number }>();
  /** Checks and acceptance one at a time: two requests for one name cannot both pass. */
  private accepting: Promise<unknown> = Promise.resolve();

  constructor(stack: string, deps: BatchedDeps) {
    this.stack = stack;
    this.deps = deps;
    this.queue = new ChangeQueue({
      clock: deps.clock,
      log: deps.log,
      signal: deps.signal,
      apply: async (edit) => {
        try {
          const applied = await deps.apply(edit);
          if (applied) this.known = applied;
          return applied;
        } catch (err) {
          // The state may have changed under the run: read it again for the next checks.
          this.known = await deps.stored().catch(() => this.known);
          throw err;
        }
      },
      onDropped: (change, reason) => {
        for (const [name, group] of change.starts ?? []) {
          this.failed.set(name, { reason, group, at: deps.clock.now() });
        }
      },
    });
  }

  /** Reads the stored state once, before the first request. */
  async load(): Promise<void> {
    this.known = await this.deps.stored();
  }

  /** The desired state once every accepted change is applied. */
  private projected(): DesiredState {
    return this.queue.projected(this.known);
  }

  /** Checks, then queues, one at a time; resolves once accepted (not applied). */
  private admit(check: () => Promise<Change | undefined>): Promise<void> {
    const run = this.accepting.then(async () => {
      const change = await check();
      // Applied later; a failure is logged and listed, not answered.
      if (change) this.queue.accept(change).catch(() => undefined);
    });
    this.accepting = run.catch(() => undefined);
    return run;
  }

  /** POST /process: one spec; a name taken in the stack or by another owner's object is 409. */
  start(source: ProcessSource): Promise<void> {
    return this.admit(async () => {
      const [spec] = source.processes;
      const name = spec!.process_name;
      if (this.projected().processes.some((p) => p.process_name === name)) throw new ProcessExistsError(this.stack, name);
      const { objects, mark } = await this.deps.live();
      const taken = foreignObjects(processObjectRefs(spec!), objects, mark, new Set());
      if (taken.length > 0) {
        throw new ProcessExistsError(this.stack, name, `stack ${this.stack} would take over ${taken.map((o) => `${o.kind}/${o.name}`).join(", ")}, which it did not create`);
      }
      await this.deps.checkSecrets(source);
      this.failed.delete(name);
      return { what: `start ${name}`, edit: startEdit(this.stack, [spec!], { replace: false }), acceptedAt: this.deps.clock.now(), starts: [[name, spec!.group ?? null]] };
    });
  }

  /** DELETE /process/NAME: an unknown name is 404; a failed start is forgotten. */
  stop(name: string): Promise<void> {
    return this.admit(async () => {
      const had = this.failed.delete(name);
      if (!this.projected().processes.some((p) => p.process_name === name)) {
        if (had) return undefined;
        throw new UnknownProcessError(this.stack, name);
      }
      return { what: `stop ${name}`, edit: stopEdit(this.stack, name), acceptedAt: this.deps.clock.now() };
    });
  }

  /** DELETE /group/GROUP: accepted even when empty (as Hydroplane). */
  stopGroup(group: string): Promise<void> {
    return this.admit(async () => {
      for (const [name, f] of this.failed) if (f.group === group) this.failed.delete(name);
      return { what: `stop group ${group}`, edit: stopGroupEdit(this.stack, group, { emptyOk: true }), acceptedAt: this.deps.clock.now() };
    });
  }

  /** The culler: stops the processes older than `maxAgeMs`; resolves with their names once applied. */
  async cull(maxAgeMs: number): Promise<string[]> {
    let culled: string[] = [];
    await this.queue.accept({ what: "cull", edit: cullEdit(maxAgeMs, this.deps.clock.now(), (names) => (culled = names)), acceptedAt: this.deps.clock.now(), projects: false });
    return culled;
  }

  /** GET /process, /group/GROUP: the cluster's answer, with accepted changes and failed starts shown as Hydroplane's clients expect. */
  async list(group?: string): Promise<ProcessInfo[]> {
    const live = await this.deps.list(group);
    const projected = new Map(this.projected().processes.map((p) => [p.process_name, p]));
    const accepted = this.queue.pending();
    // The stack's names as stored or being started; one of them the projection lacks was
    // stopped by an accepted change: gone, as Hydroplane's delete makes it.
    const ours = new Set([...this.known.processes.map((p) => p.process_name), ...accepted.flatMap((c) => (c.starts ?? []).map(([name]) => name))]);
    const shown = live.filter((p) => projected.has(p.process_name) || !ours.has(p.process_name));
    const listed = new Set(live.map((p) => p.process_name));
    const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+00:00");
    for (const [name, spec] of projected) {
      if (listed.has(name) || (group !== undefined && spec.group !== group)) continue;
      const since = accepted.find((c) => c.what === `start ${name}`)?.acceptedAt ?? this.deps.clock.now();
      shown.push({ process_name: name, group: spec.group ?? null, socket_addresses: [], created: at(since), status: "STARTING", reason: PENDING_REASON });
    }
    for (const [name, f] of this.failed) {
      if (listed.has(name) || projected.has(name) || (group !== undefined && f.group !== group)) continue;
      shown.push({ process_name: name, group: f.group, socket_addresses: [], created: at(f.at), status: "FAILED", reason: f.reason });
    }
    return shown.sort((a, b) => a.process_name.localeCompare(b.process_name));
  }

  /** Shutdown: no new batch; the changes still waiting are dropped (and logged); resolves once the run in flight has stopped. */
  async close(): Promise<Change[]> {
    await this.accepting;
    const dropped = this.queue.close();
    await this.queue.idle();
    return dropped;
  }

  /** Resolves once every accepted change is applied or dropped. */
  async settled(): Promise<void> {
    await this.accepting;
    await this.queue.idle();
  }
}
