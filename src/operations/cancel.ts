import { describeLock, holderAlive, type StackLock } from "../automation/locks.ts";
import type { Engine } from "./ports.ts";

/** What `hpx cancel` found and removed. */
export interface CancelResult {
  /** The locks that were there. */
  removed: StackLock[];
  /** Each lock in words: whose, since when, whether its holder still runs. */
  described: string[];
}

/**
 * `hpx cancel`: removes the stack's lock a killed run left. Opening the stack first ends
 * (and names, through `log`) the engine processes a dead run left on this machine.
 */
export async function cancel(engine: Engine, stack: string, backend: string, log?: (line: string) => void): Promise<CancelResult> {
  const removed = await engine.locks(stack, backend);
  await (await engine.open(stack, backend, log)).cancel();
  return { removed, described: removed.map((lock) => describeLock(lock, holderAlive(lock))) };
}
