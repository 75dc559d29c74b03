import { describeLock, holderAlive, parseLockHolders } from "../automation/locks.ts";
import { StackLockedError } from "../errors.ts";
import type { Engine } from "./ports.ts";

/** A lock error that says who holds the lock, since when, and whether that process still runs; anything else as it is. */
export async function explainLock(engine: Engine, err: unknown, backend: string): Promise<never> {
  if (!(err instanceof StackLockedError)) throw err;
  const named = parseLockHolders(err.detail);
  const locks = named.length > 0 ? named : await engine.locks(err.stackName, backend);
  const gone = locks.filter((l) => holderAlive(l) === false);
  throw new StackLockedError(err.stackName, [
    ...locks.map((l) => describeLock(l, holderAlive(l))),
    gone.length > 0 && gone.length === locks.length
      ? `its holder is gone (killed?): clear it with hpx cancel -s ${err.stackName}, then run the command again`
      : `wait for it to finish; if its holder died, clear it with hpx cancel -s ${err.stackName}`,
  ]);
}
