import type { z } from "zod";
import type { SpecIssue } from "../errors.ts";
import { suggestKey } from "./suggest.ts";
import type { YamlSource } from "./yaml-source.ts";

type Path = (string | number)[];

/** The keys allowed at a path, and the keys of the levels below it (for "did you mean"). */
export type KeysAt = (path: Path) => { allowed: readonly string[]; nested: Record<string, readonly string[]> } | undefined;

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

const ARTICLE: Record<string, string> = {
  string: "a string",
  number: "a number",
  boolean: "true or false",
  object: "a mapping",
  record: "a mapping",
  array: "a list",
  int: "a whole number",
};

/** The schema's own wording of a bound ("must be at least 0.001 vCPU"), not zod's default. */
function ownMessage(issue: z.core.$ZodIssue): string | undefined {
  return /^Too (small|big)/.test(issue.message) ? undefined : issue.message;
}

function message(issue: z.core.$ZodIssue, input: unknown): string {
  const last = issue.path[issue.path.length - 1];
  switch (issue.code) {
    case "invalid_type":
      if (input === undefined) return "is required";
      // The value a user wrote there is a password: never echo it.
      if (last === "password") return `expected a secret reference {secret_name, key} (a password is never written in the spec), got ${typeof input === "string" ? "a string (not shown)" : describe(input)}`;
      return `expected ${ARTICLE[issue.expected] ?? issue.expected}, got ${describe(input)}`;
    case "invalid_value":
      return `must be one of ${issue.values.map(String).join(", ")}, got ${describe(input)}`;
    case "invalid_union": {
      if (input === undefined) return "is required";
      const options = (issue as { options?: unknown[] }).options;
      if (Array.isArray(options)) return `must be one of ${options.map(String).join(", ")}, got ${describe(input)}`;
      if (last === "cpu_vcpu") return `expected a decimal number such as "0.25" or 0.25, got ${describe(input)}`;
      return `expected a string or a secret reference {secret_name, key}, got ${describe(input)}`;
    }
    case "invalid_format":
      return `${issue.message}, got ${describe(input)}`;
    case "too_small":
      if (issue.origin === "string" && issue.minimum === 1) return "must not be empty";
      if (issue.origin === "number") {
        const bound = issue.inclusive === false ? `must be more than ${String(issue.minimum)}` : `must be at least ${String(issue.minimum)}`;
        return `${ownMessage(issue) ?? bound}, got ${describe(input)}`;
      }
      return issue.message;
    case "too_big":
      if (issue.origin === "string" && typeof input === "string") return `${ownMessage(issue) ?? `must be at most ${String(issue.maximum)} characters`}, got ${input.length}`;
      if (issue.origin === "number") return `${ownMessage(issue) ?? `must be at most ${String(issue.maximum)}`}, got ${describe(input)}`;
      return issue.message;
    default:
      return issue.message;
  }
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const step of path) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[step] : undefined;
  return v;
}

/**
 * Turns zod's issues into located ones. `toUserPath` maps a path of the normalised
 * input back to the path as the user wrote it (a single spec, a list, or `processes:`).
 */
export function locatedIssues(error: z.ZodError, source: YamlSource, normalised: unknown, toUserPath: (p: Path) => Path, keysAt: KeysAt): SpecIssue[] {
  const out: SpecIssue[] = [];
  for (const issue of error.issues) {
    const path = toUserPath(issue.path.filter((p): p is string | number => typeof p !== "symbol"));
    const dotted = path.join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const keys = keysAt(path);
        const hint = keys ? suggestKey(key, keys.allowed, keys.nested) : undefined;
        out.push({
          file: source.file,
          ...source.locateKey(path, key),
          path: [...path, key].join("."),
          message: `unknown key "${key}"${hint ? `: did you mean ${hint}?` : ""}`,
        });
      }
      continue;
    }
    const input = valueAt(normalised, issue.path);
    out.push({ file: source.file, ...source.locate(path), path: dotted, message: message(issue, input) });
  }
  return out;
}

/** Document order, then path, so several problems read top to bottom. */
export function sortIssues(issues: SpecIssue[]): SpecIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.col - b.col || a.path.localeCompare(b.path));
}
