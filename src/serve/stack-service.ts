import { HpxError } from "../errors.ts";
import { applyEdit, cullEdit, startEdit, stopEdit, stopGroupEdit, type EditDeps, type StackEdit } from "../operations/edit-stack.ts";
import { listStack, type ProcessInfo } from "../operations/list.ts";
import { engine, realPorts } from "../operations/real-ports.ts";
import type { StackContext } from "../operations/stack-context.ts";
import { stackTarget } from "../operations/stack-target.ts";
import type { ProcessSource } from "../spec/load-process-file.ts";
import { SerialQueue } from "./queue.ts";

/** An error the API answers with its own status. */
export class ApiError extends HpxError {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** How `hpx serve` runs its changes. */
export interface ServiceOptions {
  /** How long a change waits for a lock another run holds (`--lock-wait`), in ms. */
  lockWaitMs: number;
  /** Aborted on shutdown: the change in flight stops as `hpx up` does on a signal. */
  signal: AbortSignal;
  /** Where a lock wait is told. */
  log?: (line: string) => void;
  /** The collaborators, for a given request's source (tests give fakes). */
  deps?: (source: ProcessSource | undefined) => EditDeps;
}

/** The real collaborators: the stack's secret store and cluster, a missing secret located in the request body. */
const realDeps = (ctx: StackContext) => (source: ProcessSource | undefined): EditDeps => ({
  engine,
  target: async (desired) => {
    const target = await stackTarget(ctx, desired, { interactive: false, source });
    return { target, ports: realPorts(target.access) };
  },
});

/**
 * Hydroplane's operations over one hpx stack, for `hpx serve`: every change is an edit of
 * the stack's stored desired state applied by the same operation as `hpx up` (same state,
 * lock, lock waiting, guards and diff), one change at a time.
 */
export class StackService {
  private readonly queue = new SerialQueue();
  private readonly ctx: StackContext;
  private readonly opts: ServiceOptions;
  private readonly deps: (source: ProcessSource | undefined) => EditDeps;
  private idle: Promise<unknown> = Promise.resolve();

  constructor(ctx: StackContext, opts: ServiceOptions) {
    this.ctx = ctx;
    this.opts = opts;
    this.deps = opts.deps ?? realDeps(ctx);
  }

  /** Processes and their addresses, as `hpx ls -o json` (Hydroplane's ProcessInfo). */
  async list(group?: string): Promise<ProcessInfo[]> {
    return (await listStack(this.ctx, { group })).processes;
  }

  /** Starts the request's process; a name already running is Hydroplane's 409. */
  start(source: ProcessSource): Promise<void> {
    return this.change(startEdit(this.ctx.name, source.processes, { replace: false }), source);
  }

  /** Stops a process; an unknown name is Hydroplane's 404. */
  stopProcess(name: string): Promise<void> {
    return this.change(stopEdit(this.ctx.name, name));
  }

  /** Stops every process of a group; an empty group is not an error (as Hydroplane). */
  stopGroup(group: string): Promise<void> {
    return this.change(stopGroupEdit(this.ctx.name, group, { emptyOk: true }));
  }

  /** Stops the processes older than `maxAgeMs`; returns their names. */
  async cull(maxAgeMs: number): Promise<string[]> {
    let culled: string[] = [];
    await this.change(cullEdit(maxAgeMs, Date.now(), (names) => (culled = names)));
    return culled;
  }

  /** Resolves once the change in flight (stopped by the shutdown signal) has ended. */
  async drained(): Promise<void> {
    await this.idle;
  }

  /** Applies an edit in the queue. As Hydroplane's start and stop, answers once the cluster has the change, without waiting for pods. */
  private change(edit: StackEdit, source?: ProcessSource): Promise<void> {
    const { signal } = this.opts;
    if (signal.aborted) return Promise.reject(new ApiError(503, "hpx serve is shutting down"));
    const run = this.queue.run(async () => {
      if (signal.aborted) throw new ApiError(503, "hpx serve is shutting down");
      await applyEdit(this.deps(source), { name: this.ctx.name, backend: this.ctx.settings.backend }, edit, {
        wait: false,
        timeoutMs: 0,
        signal,
        lockWait: { waitMs: this.opts.lockWaitMs, onWait: this.opts.log },
      });
    });
    this.idle = run.catch(() => undefined);
    return run;
  }
}
