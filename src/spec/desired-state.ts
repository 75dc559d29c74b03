import { ProcessExistsError, UnknownProcessError, UsageError } from "../errors.ts";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { byCodeUnits } from "../code-unit-order.ts";

/**
 * The stack's desired state: what `hpx up FILE` last applied, kept with the stack (as a
 * stack output) so that `hpx up` without a file re-applies it and `start`/`stop` edit it.
 */
export interface DesiredState {
  processes: ProcessSpec[];
}

export const EMPTY_STATE: DesiredState = { processes: [] };

/** Adds the process, or replaces the one of the same name (`hpx start`). */
export function withProcess(state: DesiredState, spec: ProcessSpec): DesiredState {
  const others = state.processes.filter((p) => p.process_name !== spec.process_name);
  return { processes: [...others, spec].sort((a, b) => byCodeUnits(a.process_name, b.process_name)) };
}

/** Adds the process; one of the same name is an error (Hydroplane's `POST /process`). */
export function withNewProcess(state: DesiredState, spec: ProcessSpec, stack: string): DesiredState {
  if (state.processes.some((p) => p.process_name === spec.process_name)) throw new ProcessExistsError(stack, spec.process_name);
  return withProcess(state, spec);
}

/** Removes one process by name (`hpx stop NAME`); naming an unknown process is an error. */
export function withoutProcess(state: DesiredState, name: string, stack: string): DesiredState {
  if (!state.processes.some((p) => p.process_name === name)) throw new UnknownProcessError(stack, name);
  return { processes: state.processes.filter((p) => p.process_name !== name) };
}

/** Removes every process of a group (`hpx stop -g GROUP`); an empty group is an error. */
export function withoutGroup(state: DesiredState, group: string, stack: string): DesiredState {
  const kept = state.processes.filter((p) => p.group !== group);
  if (kept.length === state.processes.length) throw new UsageError(`stack ${stack} has no process in group ${group}`);
  return { processes: kept };
}
