/** Output helpers: people get lines on a terminal, machines get JSON with --json. */

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLines(...lines: string[]): void {
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** Progress goes to stderr so stdout stays clean for data. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}
