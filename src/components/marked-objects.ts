import { createHmac } from "node:crypto";
import type { V1Deployment, V1Secret, V1Service } from "@kubernetes/client-node";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { objectAnnotations } from "./annotations.ts";
import { buildProcess, type BuildOptions } from "./build.ts";
import { PART_OF_LABEL, type StackMark } from "./stack-mark.ts";
import { byCodeUnits } from "../code-unit-order.ts";

/**
 * Annotation holding a keyed digest of the whole object as hpx applied it. The state
 * records the same digest in the resource's inputs, so one listing of the namespace tells, for every
 * object, whether the cluster holds what the state says: an `up` killed after it applied
 * an object but before it recorded it leaves a different (or no) digest behind.
 */
export const APPLIED_ANNOTATION = "hpx.dev/applied";

/** `Kind/name`, the key of an object in a namespace. */
export type ObjectKey = `${"Deployment" | "Service" | "Secret"}/${string}`;

/** One object as hpx applies it: labelled with its stack's mark, annotated with its digest. */
export interface MarkedObject<T> {
  key: ObjectKey;
  object: T;
  digest: string;
}

export interface MarkedProcess {
  deployment: MarkedObject<V1Deployment>;
  service: MarkedObject<V1Service>;
  secrets: MarkedObject<V1Secret>[];
}

export interface MarkOptions extends BuildOptions {
  /** The stack's mark: every object is a member of its ApplySet. */
  mark: StackMark;
}

/** The HMAC key of the digests when a run gives none (tests, builders used alone). */
export const DEFAULT_DIGEST_KEY = "hpx applied digest";

/** JSON with object keys sorted, so equal objects always give equal digests. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => byCodeUnits(a, b))) : v,
  );
}

/**
 * Keyed with the secrets digest's key: a Secret's digest covers its values, and a
 * plain hash of a low-entropy value could be guessed from the state or the cluster.
 */
function mark<T extends { kind?: string; metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> } }>(obj: T, opts: MarkOptions): MarkedObject<T> {
  const kind = obj.kind as "Deployment" | "Service" | "Secret";
  const annotated = {
    ...obj,
    metadata: {
      ...obj.metadata,
      labels: { ...obj.metadata?.labels, [PART_OF_LABEL]: opts.mark.applySetId },
      annotations: { ...obj.metadata?.annotations, ...objectAnnotations(kind, opts.mark.stack) },
    },
  };
  const digest = `hmac-sha256:${createHmac("sha256", opts.digestKey ?? DEFAULT_DIGEST_KEY).update(canonical(annotated)).digest("hex").slice(0, 32)}`;
  annotated.metadata.annotations[APPLIED_ANNOTATION] = digest;
  return { key: `${kind}/${obj.metadata?.name ?? ""}`, object: annotated, digest };
}

/** A process's objects exactly as hpx applies them; pure. */
export function markedProcess(spec: ProcessSpec, opts: MarkOptions): MarkedProcess {
  const objects = buildProcess(spec, opts);
  return {
    deployment: mark(objects.deployment, opts),
    service: mark(objects.service, opts),
    secrets: objects.secrets.map((s) => mark(s, opts)),
  };
}

/** Per process, the digest of each of its objects. */
export type Digests = Record<string, Record<string, string>>;

/** The digest of each of a process's objects, by key: what the state will record once applied. */
export function appliedDigests(m: MarkedProcess): Record<ObjectKey, string> {
  return Object.fromEntries([...m.secrets, m.deployment, m.service].map((o) => [o.key, o.digest])) as Record<ObjectKey, string>;
}
