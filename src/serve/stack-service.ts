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
  /** A process's log lines, the last `tail` of them when given (`GET /process/{name}/logs`); absent: no such route. */
  logs?(name: string, tail: number | undefined): Promise<string[]>;
}

/** Reads a process's log lines (operations/logs.ts `processLogLines` over the served stack). */
export type LogReader = (name: string, tail: number | undefined) => Promise<string[]>;

/**
 * Hydroplane's routes over the operations' batched stack (operations/batched-stack.ts):
 * every check is the operations'; this adds only the HTTP side of shutting down (503).
 */
export class StackService implements StackApi {
  private readonly stack: BatchedStack;
  private readonly signal: AbortSignal;
  private readonly readLogs: LogReader | undefined;

  constructor(stack: BatchedStack, signal: AbortSignal, readLogs?: LogReader) {
    this.stack = stack;
    this.signal = signal;
    this.readLogs = readLogs;
  }

  logs(name: string, tail: number | undefined): Promise<string[]> {
    if (!this.readLogs) return Promise.reject(new ApiError(404, "Not Found"));
    return this.readLogs(name, tail);
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
