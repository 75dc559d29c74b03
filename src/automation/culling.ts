import type { DesiredState } from "./desired-state.ts";

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
