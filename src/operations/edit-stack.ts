import { EMPTY_STATE, withNewProcess, withoutGroup, withoutProcess, withProcess, type DesiredState } from "../spec/desired-state.ts";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { expiredProcesses } from "./culling.ts";
import type { Engine, Ports } from "./ports.ts";
import { storedOutputs } from "./stored.ts";
import type { StackTarget, UpOptions, UpResult } from "./types.ts";
import { up } from "./up.ts";

/** A change of the stack's stored desired state; undefined: nothing to do. */
export type StackEdit = (desired: DesiredState, created: Record<string, string>) => DesiredState | undefined;

/** What an edit needs besides the operation's options: the engine, and the stack's target for the edited state. */
export interface EditDeps {
  engine: Engine;
  /** Resolves the edited state's secrets and reaches the cluster (stack-target.ts), with the collaborators for it. */
  target: (desired: DesiredState) => Promise<{ target: StackTarget; ports: Ports }>;
}

/**
 * Hydroplane's imperative verbs over hpx's declarative core: reads the stack's stored
 * desired state, edits it, and applies the result with `up` (same guards, lock and
 * diff). Returns undefined when the edit changes nothing.
 */
export async function applyEdit(deps: EditDeps, stack: { name: string; backend: string }, edit: StackEdit, opts: UpOptions): Promise<{ desired: DesiredState; result: UpResult } | undefined> {
  const recorded = await storedOutputs(deps.engine, stack.name, stack.backend);
  const desired = edit(recorded.desired ?? EMPTY_STATE, recorded.created);
  if (!desired) return undefined;
  const { target, ports } = await deps.target(desired);
  return { desired, result: await up(ports, target, desired, opts) };
}

/** `start`: adds the processes; with `replace` (hpx start), one of the same name is replaced, else refused (Hydroplane's 409). */
export function startEdit(stack: string, specs: readonly ProcessSpec[], opts: { replace: boolean }): StackEdit {
  return (d) => specs.reduce((state, spec) => (opts.replace ? withProcess(state, spec) : withNewProcess(state, spec, stack)), d);
}

/** `stop NAME`: an unknown name is an error (Hydroplane's 404). */
export function stopEdit(stack: string, name: string): StackEdit {
  return (d) => withoutProcess(d, name, stack);
}

/** `stop -g GROUP`: an empty group is an error for hpx stop, nothing to do for Hydroplane's API (`emptyOk`). */
export function stopGroupEdit(stack: string, group: string, opts: { emptyOk: boolean }): StackEdit {
  return (d) => (opts.emptyOk && !d.processes.some((p) => p.group === group) ? undefined : withoutGroup(d, group, stack));
}

/** `cull`: stops the processes older than `maxAgeMs` at `now`, by when hpx first applied them; `culled` hears their names. */
export function cullEdit(maxAgeMs: number, now: number, culled: (names: string[]) => void): StackEdit {
  return (d, created) => {
    const expired = expiredProcesses(d, created, now, maxAgeMs);
    culled(expired);
    return expired.length === 0 ? undefined : { processes: d.processes.filter((p) => !expired.includes(p.process_name)) };
  };
}
