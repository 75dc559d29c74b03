import type { DesiredState } from "../automation/desired-state.ts";
import { withProcess, withoutGroup } from "../automation/desired-state.ts";
import { expiredProcesses } from "../automation/culling.ts";
import { stackTarget, clusterAccess } from "../automation/stack-cluster.ts";
import type { StackContext } from "../automation/stack-context.ts";
import { applyProcesses, storedOutputs } from "../automation/stack-operations.ts";
import { stackMembers } from "../automation/recorded-identity.ts";
import { explainKubeError } from "../cluster/kube-errors.ts";
import { listProcesses } from "../cluster/list-processes.ts";
import type { ProcessInfo } from "../cluster/process-info.ts";
import { HpxError, StopRequest, type StopSignal } from "../errors.ts";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { SerialQueue } from "./queue.ts";

/** An error the API answers with its own status (Hydroplane's 404 and 409). */
export class ApiError extends HpxError {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * Hydroplane's operations over one hpx stack, for `hpx serve`: every change edits the
 * stack's stored desired state and applies it through the same operation as `hpx up`
 * (same state, lock, guards and diff), one change at a time.
 */
export class StackService {
  private readonly queue = new SerialQueue();
  private readonly ctx: StackContext;
  /** Aborted on shutdown: the change in flight stops as `hpx up` does on a signal. */
  private readonly stopping = new AbortController();
  private idle: Promise<unknown> = Promise.resolve();

  constructor(ctx: StackContext) {
    this.ctx = ctx;
  }

  /** Processes and their addresses, as `hpx ls -o json` (Hydroplane's ProcessInfo). */
  async list(group?: string): Promise<ProcessInfo[]> {
    const access = await clusterAccess(this.ctx, { startLocal: false });
    const stack = await stackMembers(this.ctx.name, this.ctx.settings.backend, access.namespace);
    return listProcesses(access, { namespace: access.namespace, group, stack }).catch((err) => explainKubeError(err, access.eks));
  }

  /** Starts a process; a name already running is Hydroplane's 409. */
  start(spec: ProcessSpec): Promise<void> {
    return this.change((d) => {
      if (d.processes.some((p) => p.process_name === spec.process_name)) {
        throw new ApiError(409, `A process named "${spec.process_name}" already exists`);
      }
      return withProcess(d, spec);
    });
  }

  /** Stops a process; an unknown name is Hydroplane's 404. */
  stopProcess(name: string): Promise<void> {
    return this.change((d) => {
      if (!d.processes.some((p) => p.process_name === name)) throw new ApiError(404, `Process '${name}' not found`);
      return { processes: d.processes.filter((p) => p.process_name !== name) };
    });
  }

  /** Stops every process of a group; an empty group is not an error (as Hydroplane). */
  stopGroup(group: string): Promise<void> {
    return this.change((d) => (d.processes.some((p) => p.group === group) ? withoutGroup(d, group, this.ctx.name) : undefined));
  }

  /** Stops the processes older than `maxAgeMs`; returns their names. */
  async cull(maxAgeMs: number): Promise<string[]> {
    let culled: string[] = [];
    await this.change((d, created) => {
      culled = expiredProcesses(d, created, Date.now(), maxAgeMs);
      return culled.length === 0 ? undefined : { processes: d.processes.filter((p) => !culled.includes(p.process_name)) };
    });
    return culled;
  }

  /**
   * Stops taking changes, and stops the one in flight as a signal stops `hpx up` (the
   * engine finishes the steps under way, writes the state, releases the lock); resolves
   * once it has.
   */
  async shutdown(signalName: StopSignal): Promise<void> {
    this.stopping.abort(new StopRequest(signalName));
    await this.idle;
  }

  /** Reads the stored desired state, edits it (undefined: nothing to do) and applies it, in the queue. */
  private change(edit: (desired: DesiredState, created: Record<string, string>) => DesiredState | undefined): Promise<void> {
    if (this.stopping.signal.aborted) return Promise.reject(new ApiError(503, "hpx serve is shutting down"));
    const run = this.queue.run(async () => {
      if (this.stopping.signal.aborted) throw new ApiError(503, "hpx serve is shutting down");
      const recorded = await storedOutputs(this.ctx.name, this.ctx.settings.backend);
      const next = edit(recorded.desired ?? { processes: [] }, recorded.created);
      if (!next) return;
      const target = await stackTarget(this.ctx, next, { interactive: false });
      // As Hydroplane's start and stop: answer once the cluster has the change, without
      // waiting for pods (GET /process shows STARTING until they run).
      await applyProcesses(target, next, { wait: false, timeoutMs: 0, signal: this.stopping.signal });
    });
    this.idle = run.catch(() => undefined);
    return run;
  }
}
