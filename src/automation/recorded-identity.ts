import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { stackMark } from "../components/stack-mark.ts";
import { PROJECT, resolveBackend } from "./backend-url.ts";

/** The root's outputs in a checkpoint file of the DIY backend. */
interface Checkpoint {
  checkpoint?: { latest?: { resources?: { type: string; outputs?: { stackId?: unknown } }[] } };
}

/**
 * The identity a stack's state records, read without starting the Pulumi CLI where the
 * state is a local file (the DIY backend keeps one checkpoint per stack, written by
 * rename, so a reader never sees half of one); an S3 state is read through the engine.
 */
export async function recordedStackId(stack: string, backend: string): Promise<string | undefined> {
  const url = resolveBackend(backend);
  if (url.startsWith("file://")) {
    const base = join(url.slice("file://".length), ".pulumi", "stacks", PROJECT, `${stack}.json`);
    const text = existsSync(base) ? readFileSync(base, "utf8") : existsSync(`${base}.gz`) ? gunzipSync(readFileSync(`${base}.gz`)).toString("utf8") : undefined;
    if (text === undefined) return undefined;
    const root = (JSON.parse(text) as Checkpoint).checkpoint?.latest?.resources?.find((r) => r.type === "pulumi:pulumi:Stack");
    const id = root?.outputs?.stackId;
    return typeof id === "string" && /^[0-9a-f]{32}$/.test(id) ? id : undefined;
  }
  const { openStack } = await import("./workspace.ts");
  const { readOutputs } = await import("./stack-state.ts");
  return (await readOutputs(await openStack(stack, backend))).stackId;
}

/** Which processes `hpx ls` shows for a stack: its ApplySet's members (or an older hpx's, by name). */
export async function stackMembers(stack: string, backend: string, namespace: string): Promise<{ name: string; applySetId: string | undefined }> {
  const id = await recordedStackId(stack, backend);
  return { name: stack, applySetId: id === undefined ? undefined : stackMark(stack, id, namespace).applySetId };
}
