/** How `--diff` shows one object's changed fields: with their old and new values, secrets hidden. */
import type { ProcessPlan } from "../operations/types.ts";

type FieldChange = NonNullable<ProcessPlan["values"]>[string][string];

/** Longest value shown in full; a longer one (a whole list, say) is cut. */
const MAX_VALUE = 120;

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

const SIGN: Record<FieldChange["kind"], string> = { add: "+", update: "~", delete: "-" };

/** One line per field: `~ path: old => new`, `+ path: new`, `- path: old`; a secret says only that it changed. */
export function fieldLine(field: string, change: FieldChange | undefined): string {
  if (!change) return field;
  const replaces = change.replaces ? " (replaces the object)" : "";
  if (change.secret) {
    const what = { add: "secret value added", update: "secret value changed", delete: "secret value removed" }[change.kind];
    return `${SIGN[change.kind]} ${field}: (${what}; value hidden)${replaces}`;
  }
  const has = (k: "old" | "new") => Object.hasOwn(change, k);
  const value =
    change.kind === "add" ? show(change.new) : change.kind === "delete" ? show(change.old) : `${has("old") ? show(change.old) : "(unknown)"} => ${has("new") ? show(change.new) : "(unknown)"}`;
  return `${SIGN[change.kind]} ${field}: ${value}${replaces}`;
}

/**
 * An object's lines under its process. Fields with values get a line each under the
 * object; markers without values ("(added)", "(not in the state: deleted)") stay on one line.
 */
export function objectLines(object: string, fields: readonly string[], values: Record<string, FieldChange> | undefined, indent: string): string[] {
  if (!values || fields.every((f) => !values[f])) return [`${indent}${object}: ${fields.join(", ")}`];
  return [`${indent}${object}:`, ...fields.map((f) => `${indent}    ${fieldLine(f, values[f])}`)];
}
