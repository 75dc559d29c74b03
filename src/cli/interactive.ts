/** Prompts only a person at a terminal; CI (no TTY, CI=true) never sees a prompt. */
export function interactive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !process.env.CI;
}
