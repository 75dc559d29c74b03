import { UsageError } from "../errors.ts";
import type { DesiredState } from "../spec/desired-state.ts";
import type { StackContext } from "./stack-context.ts";

/**
 * The processes older than `maxAgeMs` at `now`, by the time hpx first applied each
 * (Hydroplane culls by creation time too, with a strict "older than"). A process with no
 * recorded time is never culled: hpx does not know its age.
 */
export function expiredProcesses(desired: DesiredState, created: Record<string, string>, now: number, maxAgeMs: number): string[] {
  return desired.processes
    .map((p) => p.process_name)
    .filter((name) => {
      const at = Date.parse(created[name] ?? "");
      return !Number.isNaN(at) && now - at > maxAgeMs;
    });
}

/** How old is too old for `hpx cull`: the flag's value, else the stack's `process_culling.max_age_minutes`. */
export function cullMaxAgeMs(ctx: StackContext, flagMs: number | undefined): number {
  if (flagMs !== undefined) return flagMs;
  const minutes = ctx.settings.process_culling?.max_age_minutes;
  if (minutes === undefined) throw new UsageError(`give --max-age, or set process_culling.max_age_minutes in stack ${ctx.name}'s file`);
  return minutes * 60_000;
}

/** `hpx serve`'s culler: the flags, else the stack's process_culling (interval default 1 minute); none means no culler. */
export function cullSchedule(ctx: StackContext, flags: { maxAgeMs?: number; everyMs?: number }): { maxAgeMs: number; everyMs: number } | undefined {
  const settings = ctx.settings.process_culling;
  const maxAgeMs = flags.maxAgeMs ?? (settings && settings.max_age_minutes * 60_000);
  if (maxAgeMs === undefined) return undefined;
  return { maxAgeMs, everyMs: flags.everyMs ?? (settings?.culling_interval_minutes ?? 1) * 60_000 };
}
