/**
 * Every failure hpx reports on purpose is one of these classes; src/main.ts is the
 * one place that turns them into messages and exit codes.
 */

/** Exit codes are part of hpx's interface: scripts and CI depend on them. */
export const ExitCode = {
  ok: 0,
  /** The operation was attempted and failed (cluster, engine, AWS, I/O). */
  failure: 1,
  /** The command line or an input file is invalid; nothing was changed. */
  usage: 2,
  /** `--expect-no-changes` and the plan has changes. */
  changesPresent: 3,
  /** Stopped by SIGHUP (a closed terminal); the shell's 128 + 1. */
  hangup: 129,
  /** Interrupted by the user (Ctrl-C); matches the shell's 128 + SIGINT. */
  interrupted: 130,
  /** Stopped by SIGTERM (a cancelled CI job); the shell's 128 + 15. */
  terminated: 143,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class HpxError extends Error {
  readonly exitCode: ExitCodeValue;
  /** Extra lines shown after the message: how to fix it. */
  readonly hints: readonly string[];

  constructor(message: string, exitCode: ExitCodeValue = ExitCode.failure, hints: readonly string[] = []) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hints = hints;
  }
}

/** A bad flag, argument or combination of them. */
export class UsageError extends HpxError {
  constructor(message: string, hints: readonly string[] = []) {
    super(message, ExitCode.usage, hints);
  }
}

/** One problem found in an input file, located for the user. */
export interface SpecIssue {
  file: string;
  line: number;
  col: number;
  /** Dotted path of the offending field, e.g. `processes.0.container.image_uri`. */
  path: string;
  message: string;
}

/** An input file is invalid; carries every problem found, not just the first. */
export class SpecError extends HpxError {
  readonly issues: readonly SpecIssue[];

  constructor(issues: readonly SpecIssue[]) {
    super(issues.map(formatIssue).join("\n"), ExitCode.usage);
    this.issues = issues;
  }
}

export function formatIssue(issue: SpecIssue): string {
  const where = issue.path === "" ? "" : ` ${issue.path}:`;
  return `${issue.file}:${issue.line}:${issue.col}:${where} ${issue.message}`;
}

/** A required local tool (built by scripts/toolchain.sh) is missing. */
export class ToolchainError extends HpxError {}

/** The local simulated cluster could not be started, stopped or queried. */
export class ClusterError extends HpxError {}

/** AWS or Kubernetes refused our credentials. */
export class AuthError extends HpxError {}

/** The Pulumi stack or its backend failed (locks, state, engine). */
export class StackError extends HpxError {}

/** `--expect-no-changes` found changes. */
export class ChangesPresentError extends HpxError {
  constructor(message: string) {
    super(message, ExitCode.changesPresent);
  }
}

/** The signals that stop a run, and the exit code each gives (128 + its number, as shells report). */
export const STOP_SIGNALS = { SIGHUP: ExitCode.hangup, SIGINT: ExitCode.interrupted, SIGTERM: ExitCode.terminated } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;

/** Why a run's AbortSignal was aborted: a stop signal. */
export class StopRequest extends Error {
  readonly signalName: StopSignal;
  constructor(signalName: StopSignal) {
    super(`${signalName} received`);
    this.signalName = signalName;
  }
}

/** The run was stopped (Ctrl-C, SIGTERM, SIGHUP); the exit code names the signal. */
export class InterruptedError extends HpxError {
  constructor(message = "interrupted", signalName: StopSignal = "SIGINT") {
    super(message, STOP_SIGNALS[signalName]);
  }
}

/** The error for a run whose AbortSignal was aborted, with the exit code of the signal that did it. */
export function interrupted(message: string, signal: AbortSignal): InterruptedError {
  const reason: unknown = signal.reason;
  return new InterruptedError(message, reason instanceof StopRequest ? reason.signalName : "SIGINT");
}

/** An edit names a process the stack's desired state does not hold (Hydroplane's 404). */
export class UnknownProcessError extends UsageError {
  readonly process: string;

  constructor(stack: string, process: string) {
    super(`stack ${stack} has no process named ${process}`);
    this.process = process;
  }
}

/**
 * `hpx logs` names a process of the stack that has nothing to show yet: no pod, or a pod
 * not scheduled or not started. An operation failure (1), as kubectl's for a waiting container.
 */
export class NoLogsYetError extends HpxError {
  constructor(message: string, hints: readonly string[] = []) {
    super(message, ExitCode.failure, hints);
  }
}

/** `start` without replacing names a process the stack already runs, or an object another owner has (Hydroplane's 409). */
export class ProcessExistsError extends UsageError {
  readonly process: string;

  constructor(stack: string, process: string, why = `stack ${stack} already has a process named ${process}`) {
    super(why);
    this.process = process;
  }
}

/** Another update holds the stack's lock (or a killed one left it behind). */
export class StackLockedError extends StackError {
  readonly stackName: string;
  /** The engine's own words about the lock, which name its holders. */
  readonly detail: string;

  constructor(stack: string, hints: readonly string[], detail = "") {
    super(`stack ${stack} is locked by another update`, undefined, hints);
    this.stackName = stack;
    this.detail = detail;
  }
}
