import { StackLockedError } from "../errors.ts";
import { progress } from "./output.ts";

/**
 * Runs `work`; while another update holds the stack's lock, tries again every 2 s until
 * `waitMs` has passed (`--lock-wait`). Without it, a held lock fails at once.
 */
export async function withLockWait<T>(waitMs: number | undefined, work: () => Promise<T>, pauseMs = 2000): Promise<T> {
  const deadline = Date.now() + (waitMs ?? 0);
  let told = false;
  for (;;) {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof StackLockedError) || Date.now() + pauseMs > deadline) throw err;
      if (!told) progress(`stack ${err.stackName} is locked (${err.hints[0] ?? "by another update"}); waiting for it`);
      told = true;
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  }
}
