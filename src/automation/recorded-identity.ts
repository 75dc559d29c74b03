import { stackMark } from "../components/stack-mark.ts";
import { resolveBackend } from "./backend-url.ts";
import { readCheckpoint } from "./state-files.ts";

/**
 * The identity a stack's state records, read without starting the Pulumi CLI where the
 * state is a local file (state-files.ts); an S3 state is read through the engine.
 */
export async function recordedStackId(stack: string, backend: string): Promise<string | undefined> {
  const url = resolveBackend(backend);
  if (url.startsWith("file://")) {
    const id = readCheckpoint(url, stack)?.resources?.find((r) => r.type === "pulumi:pulumi:Stack")?.outputs?.stackId;
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
