import type * as pulumi from "@pulumi/pulumi";
import { StackError, StackLockedError, interrupted } from "../errors.ts";
import { cliError } from "./engine-errors.ts";
import { pulumiSdk } from "./pulumi-sdk.ts";
import { releaseStoppedRunLock } from "./stopped-run-lock.ts";
import { closableProgram } from "./run-channels.ts";
import { withoutReadBack } from "./without-read-back.ts";
import { withoutStackTraces } from "./without-stack-traces.ts";
import { fieldValues, type FieldChange } from "./field-values.ts";
import { summarisePlan, type ProcessPlan } from "./plan-summary.ts";

type Stack = pulumi.automation.Stack;
type EngineEvent = pulumi.automation.EngineEvent;

/** One engine run's options (the Automation API's, narrowed to what hpx uses). */
export interface EngineRunOptions {
  onEvent?: (event: EngineEvent) => void;
  /** The engine's own text output (`--verbose`); secret values in it are masked by the engine. */
  onOutput?: (text: string) => void;
  /** Aborting sends SIGINT to the engine, which stops after the steps under way. */
  signal?: AbortSignal;
  /** Field-level diffs in the events (`hpx preview --diff`). */
  diff?: boolean;
  /** Refresh state from the cluster first (drift detection). */
  refresh?: boolean;
  /** Pulumi update plan file: preview saves it, up applies exactly it. */
  plan?: string;
  /** Only these resources (URNs), see targets.ts. */
  target?: string[];
  /** The program the run registers (program.ts). */
  program: pulumi.automation.PulumiFn;
  /** What the run is called in messages (default: update). */
  verb?: string;
}

/**
 * Steps the engine runs at once. Its default (about 4 x CPUs) leaves a 2-core machine
 * waiting on API round trips: measured at 100 processes, 140 s at the default against
 * 40 s at 64 (measured when this was set, commit 0cd0980). The API server, not the CPU, is
 * the limit here.
 */
export const ENGINE_PARALLEL = 64;

/**
 * The part of an event the plan summary and error messages read. An event carries the
 * resource's whole state (inputs and outputs); at 500 processes keeping them all held
 * hundreds of MB in hpx's process.
 */
function slim(e: EngineEvent): EngineEvent | undefined {
  if (e.diagnosticEvent) return { sequence: e.sequence, timestamp: e.timestamp, diagnosticEvent: e.diagnosticEvent };
  const meta = e.resourcePreEvent?.metadata;
  if (!meta) return undefined;
  const parentOnly = (s: typeof meta.new) => (s ? ({ parent: s.parent } as typeof s) : undefined);
  return {
    sequence: e.sequence,
    timestamp: e.timestamp,
    resourcePreEvent: { metadata: { ...meta, old: parentOnly(meta.old), new: parentOnly(meta.new) } },
  };
}

/**
 * Collects events for the plan summary while passing them on for progress; with a
 * detailed diff (`--diff`), the changed fields' values too, before slim() drops the state.
 */
function recorder(opts: EngineRunOptions): { events: EngineEvent[]; values: Map<string, Record<string, FieldChange>>; onEvent: (e: EngineEvent) => void } {
  const events: EngineEvent[] = [];
  const values = new Map<string, Record<string, FieldChange>>();
  return {
    events,
    values,
    onEvent: (e) => {
      const meta = e.resourcePreEvent?.metadata;
      if (meta?.detailedDiff && Object.keys(meta.detailedDiff).length > 0) values.set(meta.urn, fieldValues(meta));
      const kept = slim(e);
      if (kept) events.push(kept);
      opts.onEvent?.(e);
    },
  };
}

/** The engine's own error lines, which say more than the CLI's exit message. */
function engineErrors(events: EngineEvent[]): string[] {
  return events
    .map((e) => e.diagnosticEvent)
    .filter((d) => d?.severity === "error")
    .map((d) => d!.message.trim())
    .filter((m) => m !== "");
}

async function failure(verb: string, stack: string, err: unknown, events: EngineEvent[], signal?: AbortSignal): Promise<Error> {
  if (signal?.aborted) return interrupted(`${verb} of stack ${stack} interrupted; the engine stopped after the steps under way`, signal);
  if (err instanceof (await pulumiSdk()).automation.ConcurrentUpdateError) {
    return new StackLockedError(stack, ["wait for it to finish; if it died, remove the lock: hpx cancel -s " + stack], err.message);
  }
  const lines = engineErrors(events);
  const first = lines[0] ?? cliError(err);
  return new StackError(`${verb} of stack ${stack} failed: ${first}`, undefined, lines.slice(1));
}

/**
 * The engine's own text is read only with `--verbose`; the outputs it prints (a diff of
 * every process's record) are hpx's internals. Not rendering them saves about a second at
 * 500 processes.
 */
function quiet(opts: EngineRunOptions): { suppressOutputs: boolean; suppressProgress: boolean } {
  return { suppressOutputs: true, suppressProgress: opts.onOutput === undefined };
}

export async function previewStack(stack: Stack, opts: EngineRunOptions): Promise<ProcessPlan[]> {
  const rec = recorder(opts);
  const startedAt = Date.now();
  const run = closableProgram(opts.program);
  try {
    await withoutStackTraces(() => stack.preview({ program: run.program, onEvent: rec.onEvent, diff: opts.diff, refresh: opts.refresh, signal: opts.signal, parallel: ENGINE_PARALLEL, plan: opts.plan, onOutput: opts.onOutput, target: opts.target, ...quiet(opts) }));
  } catch (err) {
    if (opts.signal?.aborted) await releaseStoppedRunLock(stack, startedAt);
    throw await failure("preview", stack.name, err, rec.events, opts.signal);
  } finally {
    run.close();
  }
  return summarisePlan(rec.events, rec.values);
}

/** An update; what it recorded is read from the state afterwards (without-read-back.ts). */
export async function upStack(stack: Stack, opts: EngineRunOptions): Promise<{ plans: ProcessPlan[] }> {
  const rec = recorder(opts);
  const startedAt = Date.now();
  const run = closableProgram(opts.program);
  try {
    await withoutStackTraces(() => withoutReadBack(stack).up({ program: run.program, onEvent: rec.onEvent, refresh: opts.refresh, signal: opts.signal, parallel: ENGINE_PARALLEL, plan: opts.plan, onOutput: opts.onOutput, target: opts.target, ...quiet(opts) }));
    return { plans: summarisePlan(rec.events, rec.values) };
  } catch (err) {
    if (opts.signal?.aborted) await releaseStoppedRunLock(stack, startedAt);
    throw await failure(opts.verb ?? "update", stack.name, err, rec.events, opts.signal);
  } finally {
    run.close();
  }
}
