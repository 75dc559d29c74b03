import { StackLockedError, interrupted } from "../errors.ts";
import type { Clock } from "./ports.ts";
import type { LockWait } from "./types.ts";

/**
 * Runs `work`; while another run holds the stack's lock, tries again every `pauseMs`
 * (2 s) until `waitMs` has passed (`--lock-wait`; `hpx serve` waits by default, since it
 * queues). Without it, a held lock fails at once. A stop signal ends the wait.
 */
export async function withLockWait<T>(clock: Clock, wait: LockWait | undefined, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  const pauseMs = wait?.pauseMs ?? 2000;
  const deadline = clock.now() + (wait?.waitMs ?? 0);
  let told = false;
  for (;;) {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof StackLockedError) || clock.now() + pauseMs > deadline || signal?.aborted) throw err;
      if (!told) wait?.onWait?.(`stack ${err.stackName} is locked (${err.hints[0] ?? "by another update"}); waiting for it`);
      told = true;
      await clock.sleep(pauseMs, signal).catch(() => {
        throw interrupted(`stopped while waiting for the lock of stack ${err.stackName}; nothing was changed`, signal!);
      });
    }
  }
}
