import * as pulumi from "@pulumi/pulumi";
import { InterruptedError, StackError } from "../errors.ts";
import type { DesiredState } from "./desired-state.ts";
import { summarisePlan, type ProcessPlan } from "./plan-summary.ts";

type Stack = pulumi.automation.Stack;
type EngineEvent = pulumi.automation.EngineEvent;

export interface RunOptions {
  onEvent?: (event: EngineEvent) => void;
  /** Aborting sends SIGINT to the engine, which stops after the steps under way. */
  signal?: AbortSignal;
  /** Field-level diffs in the events (`hpx preview --diff`). */
  diff?: boolean;
  /** Refresh state from the cluster first (drift detection). */
  refresh?: boolean;
}

/** Collects events for the plan summary while passing them on for progress. */
function recorder(opts: RunOptions): { events: EngineEvent[]; onEvent: (e: EngineEvent) => void } {
  const events: EngineEvent[] = [];
  return {
    events,
    onEvent: (e) => {
      events.push(e);
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

function failure(verb: string, stack: string, err: unknown, events: EngineEvent[], signal?: AbortSignal): Error {
  if (signal?.aborted) return new InterruptedError(`${verb} of stack ${stack} interrupted; the engine stopped after the steps under way`);
  if (err instanceof pulumi.automation.ConcurrentUpdateError) {
    return new StackError(`stack ${stack} is locked by another update`, undefined, [
      "wait for it to finish; if it died, remove the lock: hpx cancel -s " + stack,
    ]);
  }
  const lines = engineErrors(events);
  const first = lines[0] ?? (err instanceof Error ? err.message.split("\n")[0] : String(err));
  return new StackError(`${verb} of stack ${stack} failed: ${first}`, undefined, lines.slice(1));
}

export async function previewStack(stack: Stack, opts: RunOptions = {}): Promise<ProcessPlan[]> {
  const rec = recorder(opts);
  try {
    await stack.preview({ onEvent: rec.onEvent, diff: opts.diff, refresh: opts.refresh, signal: opts.signal });
  } catch (err) {
    throw failure("preview", stack.name, err, rec.events, opts.signal);
  }
  return summarisePlan(rec.events);
}

export async function upStack(stack: Stack, opts: RunOptions = {}): Promise<{ plans: ProcessPlan[]; outputs: pulumi.automation.OutputMap }> {
  const rec = recorder(opts);
  try {
    const result = await stack.up({ onEvent: rec.onEvent, refresh: opts.refresh, signal: opts.signal });
    return { plans: summarisePlan(rec.events), outputs: result.outputs };
  } catch (err) {
    throw failure("update", stack.name, err, rec.events, opts.signal);
  }
}

export async function destroyStack(stack: Stack, opts: RunOptions = {}): Promise<ProcessPlan[]> {
  const rec = recorder(opts);
  try {
    await stack.destroy({ onEvent: rec.onEvent, signal: opts.signal });
  } catch (err) {
    throw failure("destroy", stack.name, err, rec.events, opts.signal);
  }
  return summarisePlan(rec.events);
}

/** The desired state last applied to the stack, or undefined for a new or destroyed stack. */
export async function readDesiredState(stack: Stack): Promise<DesiredState | undefined> {
  const outputs = await stack.outputs();
  const desired = outputs.desired?.value as DesiredState | undefined;
  return desired && Array.isArray(desired.processes) ? desired : undefined;
}
