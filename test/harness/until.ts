/**
 * Polls `check` until it holds, or fails after `timeoutMs` naming `what` (a function
 * when the message should carry what was seen by then, such as a child's output).
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string | (() => string),
  opts: { timeoutMs?: number; everyMs?: number } = {},
): Promise<void> {
  const { timeoutMs = 60_000, everyMs = 100 } = opts;
  for (const t0 = Date.now(); Date.now() - t0 < timeoutMs; await new Promise((r) => setTimeout(r, everyMs))) if (await check()) return;
  throw new Error(`timed out waiting for ${typeof what === "function" ? what() : what}`);
}
