import * as pulumi from "@pulumi/pulumi";
import { StackError, StackLockedError, interrupted } from "../errors.ts";
import type { ClusterIdentity } from "../cluster/cluster-identity.ts";
import type { DesiredState } from "./desired-state.ts";
import { summarisePlan, type ProcessPlan } from "./plan-summary.ts";

type Stack = pulumi.automation.Stack;
type EngineEvent = pulumi.automation.EngineEvent;

export interface RunOptions {
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
  /** Run this program instead of the stack's own (destroy's program of no resource). */
  program?: pulumi.automation.PulumiFn;
  /** What the run is called in messages (default: update). */
  verb?: string;
}

/**
 * Steps the engine runs at once. Its default (about 4 x CPUs) leaves a 2-core machine
 * waiting on API round trips: measured at 100 processes, 140 s at the default against
 * 40 s at 64 (shared/FIELD-NOTES.md). The API server, not the CPU, is the limit here.
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

/** Collects events for the plan summary while passing them on for progress. */
function recorder(opts: RunOptions): { events: EngineEvent[]; onEvent: (e: EngineEvent) => void } {
  const events: EngineEvent[] = [];
  return {
    events,
    onEvent: (e) => {
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

function failure(verb: string, stack: string, err: unknown, events: EngineEvent[], signal?: AbortSignal): Error {
  if (signal?.aborted) return interrupted(`${verb} of stack ${stack} interrupted; the engine stopped after the steps under way`, signal);
  if (err instanceof pulumi.automation.ConcurrentUpdateError) {
    return new StackLockedError(stack, ["wait for it to finish; if it died, remove the lock: hpx cancel -s " + stack], err.message);
  }
  const lines = engineErrors(events);
  const first = lines[0] ?? cliError(err);
  return new StackError(`${verb} of stack ${stack} failed: ${first}`, undefined, lines.slice(1));
}

/** The CLI's own error line when the engine emitted none (bad flags, plan mismatches, backend errors). */
export function cliError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const stderr = /stderr: ([\s\S]*?)(?:\n\s*err\?:|$)/.exec(text)?.[1] ?? "";
  const said = stderr.split("\n").map((l) => l.trim()).find((l) => /^error: /.test(l));
  return (said?.replace(/^error: /, "") ?? text.split("\n")[0] ?? "").trim();
}

/**
 * The engine's own text is read only with `--verbose`; the outputs it prints (a diff of
 * every process's record) are hpx's internals. Not rendering them saves about a second at
 * 500 processes.
 */
function quiet(opts: RunOptions): { suppressOutputs: boolean; suppressProgress: boolean } {
  return { suppressOutputs: true, suppressProgress: opts.onOutput === undefined };
}

export async function previewStack(stack: Stack, opts: RunOptions = {}): Promise<ProcessPlan[]> {
  const rec = recorder(opts);
  try {
    await stack.preview({ onEvent: rec.onEvent, diff: opts.diff, refresh: opts.refresh, signal: opts.signal, parallel: ENGINE_PARALLEL, plan: opts.plan, onOutput: opts.onOutput, target: opts.target, ...quiet(opts) });
  } catch (err) {
    throw failure("preview", stack.name, err, rec.events, opts.signal);
  }
  return summarisePlan(rec.events);
}

export async function upStack(stack: Stack, opts: RunOptions = {}): Promise<{ plans: ProcessPlan[]; outputs: pulumi.automation.OutputMap }> {
  const rec = recorder(opts);
  try {
    const result = await stack.up({ program: opts.program, onEvent: rec.onEvent, refresh: opts.refresh, signal: opts.signal, parallel: ENGINE_PARALLEL, plan: opts.plan, onOutput: opts.onOutput, target: opts.target, ...quiet(opts) });
    return { plans: summarisePlan(rec.events), outputs: result.outputs };
  } catch (err) {
    throw failure(opts.verb ?? "update", stack.name, err, rec.events, opts.signal);
  }
}

/** What the stack's last successful update recorded (nothing for a new or destroyed stack). */
export interface RecordedOutputs {
  /** The stack's identity (stack-mark.ts), recorded when the stack was created; undefined for a stack an older hpx made. */
  stackId: string | undefined;
  desired: DesiredState | undefined;
  cluster: ClusterIdentity | undefined;
  /** When hpx first applied each process (ISO 8601), for culling. */
  created: Record<string, string>;
  /** Every output, as the engine gives them. */
  all: pulumi.automation.OutputMap;
}

/** A truncated or corrupt checkpoint: say so, and leave the file alone for the user. */
function unreadable(stack: Stack): (err: unknown) => never {
  return (err) => {
    throw new StackError(`cannot read the state of stack ${stack.name}: ${cliError(err)}`, undefined, [
      "nothing was changed; restore the stack's state file from a copy (hpx never rewrites a state it cannot read)",
    ]);
  };
}

export async function readOutputs(stack: Stack): Promise<RecordedOutputs> {
  return recordedOutputs(await stack.outputs().catch(unreadable(stack)));
}

/**
 * The outputs and the resources of the stack's state, in one CLI call: the resources say
 * what the last run did (state-record.ts), the outputs what hpx recorded beside it.
 */
export async function readState(stack: Stack): Promise<{ outputs: RecordedOutputs; resources: { urn: string; type: string }[] }> {
  const exported = await stack.exportStack().catch(unreadable(stack));
  const resources = ((exported.deployment as { resources?: { urn: string; type: string; outputs?: Record<string, unknown> }[] } | undefined)?.resources ?? []);
  const root = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  // The root's outputs are plain values (hpx records no secret there), as stack.outputs() gives them.
  const map = Object.fromEntries(Object.entries(root?.outputs ?? {}).map(([k, value]) => [k, { value, secret: false }]));
  return { outputs: recordedOutputs(map), resources };
}

function recordedOutputs(outputs: pulumi.automation.OutputMap): RecordedOutputs {
  const desired = outputs.desired?.value as DesiredState | undefined;
  const cluster = outputs.cluster?.value as ClusterIdentity | undefined;
  const stackId = outputs.stackId?.value;
  return {
    stackId: typeof stackId === "string" && /^[0-9a-f]{32}$/.test(stackId) ? stackId : undefined,
    desired: desired && Array.isArray(desired.processes) ? desired : undefined,
    cluster: cluster && typeof cluster.uid === "string" ? cluster : undefined,
    created: (outputs.created?.value as Record<string, string> | undefined) ?? {},
    all: outputs,
  };
}

/**
 * Records `stackId` as the stack's identity in a state an older hpx wrote, before any
 * object is marked with it (a run killed afterwards must find the same identity). A
 * state with resources gets it on its root's outputs; an empty one through an update of
 * a program with no resource.
 */
export async function recordStackId(stack: Stack, stackId: string): Promise<void> {
  const exported = await stack.exportStack();
  const deployment = exported.deployment as { resources?: { type: string; outputs?: Record<string, unknown> }[] } | undefined;
  const resources = deployment?.resources ?? [];
  const root = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  if (!root || resources.length === 1) {
    await stack.up({ program: async () => ({ ...root?.outputs, stackId }) }).catch(lockedOr(stack));
    return;
  }
  root.outputs = { ...root.outputs, stackId };
  await stack.importStack(exported).catch(lockedOr(stack));
}

/** The lock of another (or a killed) update, as the engine's own lock error says it; anything else as it is. */
function lockedOr(stack: Stack): (err: unknown) => never {
  return (err) => {
    const text = err instanceof Error ? err.message : String(err);
    if (err instanceof pulumi.automation.ConcurrentUpdateError || /the stack is currently locked/.test(text)) throw new StackLockedError(stack.name, [], text);
    throw err;
  };
}

/**
 * Drops every resource but the root stack (or only the components in `only`, with their children) from the stack's
 * state, keeping the objects where they are. `up --accept-cluster` does this when the state names another cluster:
 * the provider would otherwise read and update the old cluster's objects (it keeps the
 * configuration its state recorded for refresh), and the new cluster would get nothing.
 */
export async function forgetResources(stack: Stack, only?: ReadonlySet<string>): Promise<number> {
  const exported = await stack.exportStack();
  const deployment = exported.deployment as { resources?: { type: string; urn: string; parent?: string }[]; pending_operations?: unknown[] };
  const resources = deployment.resources ?? [];
  // A process's component goes with its children: the state refuses a child whose parent it lacks.
  const dropped = (r: { urn: string; parent?: string }) => only!.has(r.urn) || (r.parent !== undefined && only!.has(r.parent));
  const kept = resources.filter((r) => (only ? !dropped(r) : r.type === "pulumi:pulumi:Stack"));
  deployment.resources = kept;
  delete deployment.pending_operations;
  // The lock of an update killed before it ended: the same advice as the engine's own lock error.
  await stack.importStack(exported).catch(lockedOr(stack));
  return resources.length - kept.length;
}
