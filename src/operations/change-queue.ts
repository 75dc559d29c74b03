import { HpxError, UsageError } from "../errors.ts";
import type { DesiredState } from "../spec/desired-state.ts";
import type { StackEdit } from "./edit-stack.ts";
import type { Clock } from "./ports.ts";

/** One accepted change of the stack's desired state, waiting to be applied. */
export interface Change {
  /** For logs: "start web", "stop web", "stop group blue", "cull". */
  what: string;
  edit: StackEdit;
  /** When it was accepted (clock ms). */
  acceptedAt: number;
  /** The processes it starts, with their groups: listed as FAILED if it is dropped. */
  starts?: [name: string, group: string | null][];
  /** False: left out of projections (a cull, whose edit needs the creation times and reports what it culled). */
  projects?: boolean;
}

/** What a change became. */
interface Pending extends Change {
  attempts: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** How the queue applies and reports. */
export interface QueueDeps {
  /** Applies one edit (every change of a batch, composed) in one engine run; the desired state it applied. */
  apply: (edit: StackEdit) => Promise<DesiredState | undefined>;
  clock: Clock;
  /** serve's log. */
  log: (line: string) => void;
  /** Aborted on shutdown: no retry, no new batch. */
  signal: AbortSignal;
  /** Runs a batch may take before its changes are dropped (default 3). */
  maxAttempts?: number;
  /** Pause before a failed batch is tried again (default 2 s). */
  retryPauseMs?: number;
  /** Hears each change dropped, with why (serve lists failed starts). */
  onDropped?: (change: Change, reason: string) => void;
}

const reasonOf = (err: unknown): string => (err instanceof HpxError ? [err.message, ...err.hints].join("; ") : err instanceof Error ? err.message : String(err));

/**
 * The changes `hpx serve` accepted and answered, applied in batches: whatever is queued
 * when the engine becomes free goes into one run, each change's edit applied in the order
 * it was accepted. A change whose edit no longer applies (the stored state changed under
 * it) is dropped alone; a run that fails is tried again with the same changes (and any
 * accepted since) up to `maxAttempts`, then its changes are dropped, each reported.
 */
export class ChangeQueue {
  private readonly deps: QueueDeps;
  private waiting: Pending[] = [];
  private inFlight: Pending[] = [];
  private running: Promise<void> | undefined;

  constructor(deps: QueueDeps) {
    this.deps = deps;
  }

  /** Queues a change; resolves once a run applied it, rejects once it is dropped. */
  accept(change: Change): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ ...change, attempts: 0, resolve, reject });
      this.running ??= this.drain().finally(() => (this.running = undefined));
    });
  }

  /** The changes accepted and not yet applied (in a run or waiting), in order. */
  pending(): readonly Change[] {
    return [...this.inFlight, ...this.waiting];
  }

  /** `state` as it will be once every pending change is applied (a change that would fail is skipped). */
  projected(state: DesiredState): DesiredState {
    return this.pending().filter((c) => c.projects !== false).reduce((d, c) => {
      try {
        return c.edit(d, {}) ?? d;
      } catch {
        return d;
      }
    }, state);
  }

  /** Resolves once no run is under way and nothing waits (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops taking new batches; returns the changes that were waiting, dropped. */
  close(): Change[] {
    const dropped = this.waiting;
    this.waiting = [];
    for (const c of dropped) this.drop(c, "hpx serve stopped before it was applied");
    return dropped;
  }

  private drop(change: Pending, reason: string): void {
    this.deps.log(`dropped ${change.what}: ${reason}`);
    this.deps.onDropped?.(change, reason);
    change.reject(new UsageError(`${change.what} was dropped: ${reason}`));
  }

  private async drain(): Promise<void> {
    const { signal, clock } = this.deps;
    const maxAttempts = this.deps.maxAttempts ?? 3;
    while (this.waiting.length > 0 && !signal.aborted) {
      const batch = this.waiting;
      this.waiting = [];
      this.inFlight = batch;
      // Each change's edit in order; one that no longer applies is dropped alone.
      const applied: Pending[] = [];
      const edit: StackEdit = (desired, created) => {
        applied.length = 0;
        let state = desired;
        let changed = false;
        for (const c of batch) {
          try {
            const next = c.edit(state, created);
            if (next) (state = next), (changed = true);
            applied.push(c);
          } catch (err) {
            if (!(err instanceof UsageError)) throw err;
            this.drop(c, reasonOf(err));
          }
        }
        return changed ? state : undefined;
      };
      try {
        this.deps.log(`applying ${batch.length} change(s) in one run: ${batch.map((c) => c.what).join(", ")}`);
        await this.deps.apply(edit);
        this.inFlight = [];
        for (const c of applied) c.resolve();
      } catch (err) {
        this.inFlight = [];
        const retry = applied.length > 0 ? applied : batch;
        for (const c of retry) c.attempts += 1;
        const reason = reasonOf(err);
        const again = signal.aborted ? [] : retry.filter((c) => c.attempts < maxAttempts);
        for (const c of retry.filter((c) => !again.includes(c))) this.drop(c, signal.aborted ? `hpx serve stopped while it was applied: ${reason}` : reason);
        if (again.length > 0) {
          this.deps.log(`run failed (attempt ${again[0]!.attempts} of ${maxAttempts}), trying again: ${reason}`);
          this.waiting = [...again, ...this.waiting];
          await clock.sleep(this.deps.retryPauseMs ?? 2000, signal).catch(() => undefined);
        }
      }
    }
  }
}
