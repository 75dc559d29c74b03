import { createHash } from "node:crypto";

/**
 * A fingerprint of a stack's resources and pending operations (not of the checkpoint's
 * manifest, whose time changes on every write): equal fingerprints mean the plan's
 * starting point still holds.
 */
export function stateFingerprint(deployment: { resources?: unknown[]; pending_operations?: unknown[] } | undefined): string {
  const body = JSON.stringify({ resources: deployment?.resources ?? [], pending: deployment?.pending_operations ?? [] });
  return `sha256:${createHash("sha256").update(body).digest("hex")}`;
}
