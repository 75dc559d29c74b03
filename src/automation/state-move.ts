import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type * as pulumi from "@pulumi/pulumi";
import { StackError } from "../errors.ts";
import { planState } from "./stack-state.ts";

const run = promisify(execFile);

/**
 * Moves resources (with their children and the provider they use) from one stack's state
 * to another's with `pulumi state move`: the objects stay where they are, with their
 * uids; only which state records them changes. The Automation API has no call for it, so
 * the CLI runs in the destination's workspace, which is told both stacks' secrets salts
 * first (the move decrypts with the source's and encrypts with the destination's).
 */
export async function moveResources(source: pulumi.automation.Stack, dest: pulumi.automation.Stack, urns: readonly string[]): Promise<void> {
  if (urns.length === 0) return;
  const ws = dest.workspace as pulumi.automation.LocalWorkspace;
  await planState(dest);
  const { deployment } = await source.exportStack();
  const salt = (deployment?.secrets_providers as { state?: { salt?: string } } | undefined)?.state?.salt;
  if (salt) {
    const settings = await ws.stackSettings(source.name).catch(() => ({}));
    await ws.saveStackSettings(source.name, { ...settings, encryptionSalt: salt });
  }
  const args = ["state", "move", "--source", source.name, "--dest", dest.name, "--yes", "--non-interactive", "--color", "never", ...urns];
  try {
    await run(ws.pulumiCommand.command, args, { cwd: ws.workDir, env: { ...process.env, ...ws.envVars }, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const said = (e.stderr ?? "").split("\n").find((l) => l.startsWith("error: ")) ?? e.message.split("\n")[0];
    throw new StackError(`cannot move ${urns.length} resource(s) from stack ${source.name} to ${dest.name}: ${said}`, undefined, [
      "nothing was deleted from the cluster; run hpx up again to finish the move",
    ]);
  }
}
