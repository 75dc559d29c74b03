/**
 * The Pulumi CLI's own error line, out of the Automation API's error (whose message
 * carries the whole command line, stdout and stderr): the `error:` line of stderr, else
 * its first line, else the message's first line.
 */
export function cliError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const stderr = /stderr: ([\s\S]*?)(?:\n\s*err\?:|$)/.exec(text)?.[1] ?? "";
  const lines = stderr.split("\n").map((l) => l.trim());
  const said = lines.find((l) => /^error: /.test(l)) ?? lines.find((l) => l !== "");
  return (said?.replace(/^error: /, "") ?? text.split("\n")[0] ?? "").trim();
}
