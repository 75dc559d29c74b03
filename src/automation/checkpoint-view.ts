/**
 * The part of a shard's checkpoint every command reads, kept beside it in HPX_HOME. A
 * checkpoint holds each object's inputs and live outputs (about 10 kB a process: 52 MB at
 * 5,000 processes), and parsing them all, with the garbage they leave, took about a
 * third of a no-op preview's CPU at 5,000 (docs/performance.md). hpx reads only URNs,
 * parents, the applied digests and the stack's outputs, so the view holds those, under
 * the checkpoint's content digest: a view is used only for the very bytes it was made
 * from, whoever wrote them since.
 */
import { hash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { APPLIED_ANNOTATION } from "../components/marked-objects.ts";
import type { Deployment } from "./shard-state.ts";

type Resource = NonNullable<Deployment["resources"]>[number];

/** A deployment with only what hpx reads of it (shard-state.ts, state-record.ts). */
export function deploymentView(d: Deployment): Deployment {
  return {
    ...(d.pending_operations !== undefined ? { pending_operations: d.pending_operations } : {}),
    ...(d.secrets_providers !== undefined ? { secrets_providers: d.secrets_providers } : {}),
    ...(d.resources !== undefined ? { resources: d.resources.map(resourceView) } : {}),
  };
}

function resourceView(r: Resource): Resource {
  const applied = r.inputs?.metadata?.annotations?.[APPLIED_ANNOTATION];
  return {
    urn: r.urn,
    type: r.type,
    ...(r.parent !== undefined ? { parent: r.parent } : {}),
    ...(r.delete ? { delete: r.delete } : {}),
    ...(applied !== undefined ? { inputs: { metadata: { annotations: { [APPLIED_ANNOTATION]: applied } } } } : {}),
    // The stack's outputs are the record (desired state, creation times, shard count).
    ...(r.type === "pulumi:pulumi:Stack" && r.outputs !== undefined ? { outputs: r.outputs } : {}),
  };
}

interface StoredView {
  /** sha256 of the checkpoint's bytes the view was made from. */
  content: string;
  view: Deployment;
}

/**
 * The view of the checkpoint `bytes` read from `path`: the stored one when it was made
 * from the same bytes, else made by `parse` and stored (0600: the outputs may hold
 * ciphertexts). A view that cannot be stored is still returned.
 */
export function checkpointView(cacheDir: string, path: string, bytes: Buffer, parse: () => Deployment): Deployment {
  const content = hash("sha256", bytes);
  const file = join(cacheDir, `${hash("sha256", path).slice(0, 32)}.json`);
  const stored = readStored(file);
  if (stored?.content === content) return stored.view;
  const view = deploymentView(parse());
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ content, view } satisfies StoredView), { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    // A read-only HPX_HOME: the next command parses the checkpoint again.
  }
  return view;
}

function readStored(file: string): StoredView | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const stored = JSON.parse(readFileSync(file, "utf8")) as StoredView;
    return typeof stored.content === "string" && typeof stored.view === "object" && stored.view !== null ? stored : undefined;
  } catch {
    return undefined;
  }
}
