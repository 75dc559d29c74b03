/** Small steps several operations share. */
import type { ProcessPlan } from "../automation/plan-summary.ts";
import { interrupted } from "../errors.ts";
import type { DesiredState } from "../spec/desired-state.ts";
import type { Ports } from "./ports.ts";
import type { RolloutState, WaitOptions } from "./types.ts";

/** Stops an operation between its steps once a stop signal came (the engine stops on its own). */
export function stopIfAsked(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw interrupted(what, signal);
}

export const processNames = (d: DesiredState | undefined): string[] => (d?.processes ?? []).map((p) => p.process_name);

export const deletedBy = (plans: readonly ProcessPlan[]): string[] => plans.filter((p) => p.change === "delete").map((p) => p.process);

/** The processes whose objects a run left as they were. */
export const unchangedBy = (plans: readonly ProcessPlan[]): Set<string> => new Set(plans.filter((p) => p.change === "same").map((p) => p.process));

/**
 * Waits for the rollouts of `ready` and the disappearance of `gone`, up to `timeoutMs` from
 * now; `unchanged` (processes the run did not change) may be looked at more cheaply.
 */
export async function waitForCluster(ports: Ports, ready: readonly string[], gone: readonly string[], opts: WaitOptions, unchanged?: ReadonlySet<string>): Promise<RolloutState[]> {
  if (opts.wait === false || (ready.length === 0 && gone.length === 0)) return [];
  return ports.cluster.waitFor(ready, gone, ports.clock.now() + opts.timeoutMs, { onRollout: opts.onRollout, signal: opts.signal, ...(unchanged ? { unchanged } : {}) });
}
