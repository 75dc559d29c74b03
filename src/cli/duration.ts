import { UsageError } from "../errors.ts";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration flag such as `90s`, `5m`, `1h30m` or `1.5m`; a bare number is
 * seconds (as kubectl's `--timeout` reads `90`). Zero and negative values are refused.
 */
export function parseDuration(text: string, flag = "--timeout"): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return positive(Number(trimmed) * 1000, text, flag);
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== trimmed) {
    throw new UsageError(`${flag}: expected a duration such as 90s, 5m or 1h30m (a bare number is seconds), got ${JSON.stringify(text)}`);
  }
  return positive(
    parts.reduce((ms, p) => ms + Number(p[1]) * UNIT_MS[p[2]!]!, 0),
    text,
    flag,
  );
}

function positive(ms: number, text: string, flag: string): number {
  if (!(ms > 0)) throw new UsageError(`${flag}: expected a duration above zero, got ${JSON.stringify(text)}`);
  return Math.round(ms);
}
