import { HpxError } from "../errors.ts";
import type { BatchedStack } from "../operations/batched-stack.ts";
import type { ProcessInfo } from "../operations/list.ts";
import type { ProcessSource } from "../spec/load-process-file.ts";

/** An error the API answers with its own status. */
export class ApiError extends HpxError {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** What the HTTP routes call (app.ts); tests give their own. */
export interface StackApi {
  start(source: ProcessSource): Promise<void>;
  list(group?: string): Promise<ProcessInfo[]>;
  stopProcess(name: string): Promise<void>;
  stopGroup(group: string): Promise<void>;
}

/**
 * Hydroplane's routes over the operations' batched stack (operations/batched-stack.ts):
 * every check is the operations'; this adds only the HTTP side of shutting down (503).
 */
export class StackService implements StackApi {
  private readonly stack: BatchedStack;
  private readonly signal: AbortSignal;

  constructor(stack: BatchedStack, signal: AbortSignal) {
    this.stack = stack;
    this.signal = signal;
  }

  list(group?: string): Promise<ProcessInfo[]> {
    return this.stack.list(group);
  }

  start(source: ProcessSource): Promise<void> {
    return this.open().then(() => this.stack.start(source));
  }

  stopProcess(name: string): Promise<void> {
    return this.open().then(() => this.stack.stop(name));
  }

  stopGroup(group: string): Promise<void> {
    return this.open().then(() => this.stack.stopGroup(group));
  }

  private async open(): Promise<void> {
    if (this.signal.aborted) throw new ApiError(503, "hpx serve is shutting down");
  }
}
