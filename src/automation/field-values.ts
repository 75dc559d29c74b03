import type { automation } from "@pulumi/pulumi";
import { parsePropertyPath, walk } from "./property-path.ts";

/** One changed field of an object, with its values (`hpx preview --diff`). */
export interface FieldChange {
  kind: "add" | "update" | "delete";
  /** True when the field replaces the object (an immutable field). */
  replaces?: boolean;
  /** Absent for an added field, and whenever the value is secret. */
  old?: unknown;
  /** Absent for a deleted field, and whenever the value is secret. */
  new?: unknown;
  /** The value is secret: the field is named, its values never are. */
  secret?: boolean;
}

/** How the engine marks a secret value in its events (its value is "[secret]" there). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

const isSecretMark = (v: unknown): boolean =>
  v === "[secret]" || (v !== null && typeof v === "object" && Object.hasOwn(v, SECRET_SIG));

/**
 * Whatever a Secret object holds under data or stringData stays hidden, even if an event
 * ever carried it unmarked: the diff says the value changed, never what it is.
 */
function secretField(type: string, path: string): boolean {
  return type.endsWith(":Secret") && /^(data|stringData)([.[]|$)/.test(path);
}

/** A side's value at a path, preferring the live state (outputs) to the last inputs. */
function valueAt(state: automation.StepEventStateMetadata | undefined, path: string): { value: unknown; secret: boolean } {
  const segments = parsePropertyPath(path);
  for (const source of [state?.outputs, state?.inputs]) {
    if (!source || Object.keys(source).length === 0) continue;
    const hit = walk(source, segments);
    const secret = hit.passed.some(isSecretMark) || isSecretMark(hit.value);
    if (hit.found || secret) return { value: hit.value, secret };
  }
  return { value: undefined, secret: false };
}

/**
 * The old and new values of every field in a step's detailed diff. The event carries
 * the resource's whole state; this keeps only what the diff names, so a plan of many
 * processes does not hold every object twice.
 */
export function fieldValues(meta: automation.StepEventMetadata): Record<string, FieldChange> {
  const out: Record<string, FieldChange> = {};
  for (const [path, diff] of Object.entries(meta.detailedDiff ?? {})) {
    const kind = diff.diffKind.startsWith("add") ? "add" : diff.diffKind.startsWith("delete") ? "delete" : "update";
    const change: FieldChange = { kind, ...(diff.diffKind.endsWith("-replace") ? { replaces: true } : {}) };
    let old: { value: unknown; secret: boolean } = { value: undefined, secret: false };
    let now: { value: unknown; secret: boolean } = { value: undefined, secret: false };
    try {
      if (kind !== "add") old = valueAt(meta.old, path);
      if (kind !== "delete") now = valueAt(meta.new, path);
    } catch {
      // A path this reader does not know: the field is still named, without values.
    }
    if (old.secret || now.secret || secretField(meta.type, path)) change.secret = true;
    else {
      if (kind !== "add" && old.value !== undefined) change.old = old.value;
      if (kind !== "delete" && now.value !== undefined) change.new = now.value;
    }
    out[path] = change;
  }
  return out;
}
