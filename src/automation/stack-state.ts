import type * as pulumi from "@pulumi/pulumi";
import type { ClusterIdentity } from "../cluster/cluster-identity.ts";
import { StackError, StackLockedError } from "../errors.ts";
import type { DesiredState } from "../spec/desired-state.ts";
import { cliError } from "./engine-errors.ts";
import { pulumiSdk } from "./pulumi-sdk.ts";
import { stateFingerprint } from "./state-fingerprint.ts";
import type { StateResource } from "./state-record.ts";
import { upClosing } from "./run-channels.ts";

type Stack = pulumi.automation.Stack;

/** What the stack's last successful update recorded (nothing for a new or destroyed stack). */
export interface RecordedOutputs {
  /** The stack's identity (stack-mark.ts), recorded when the stack was created; undefined for a stack an older hpx made. */
  stackId: string | undefined;
  desired: DesiredState | undefined;
  cluster: ClusterIdentity | undefined;
  /** When hpx first applied each process (ISO 8601), for culling. */
  created: Record<string, string>;
  /** Every output, as the engine gives them. */
  all: pulumi.automation.OutputMap;
}

/** A truncated or corrupt checkpoint: say so, and leave the file alone for the user. */
function unreadable(stack: Stack): (err: unknown) => never {
  return (err) => {
    throw new StackError(`cannot read the state of stack ${stack.name}: ${cliError(err)}`, undefined, [
      "nothing was changed; restore the stack's state file from a copy (hpx never rewrites a state it cannot read)",
    ]);
  };
}

/** What a stack's state holds: hpx's record (the root's outputs) and the engine's resources. */
export interface StackState {
  outputs: RecordedOutputs;
  resources: StateResource[];
}

export async function readOutputs(stack: Stack): Promise<RecordedOutputs> {
  return recordedOutputs(await stack.outputs().catch(unreadable(stack)));
}

/**
 * The outputs and the resources of the stack's state, in one CLI call: the resources say
 * what the last run did (state-record.ts), the outputs what hpx recorded beside it.
 */
export async function readState(stack: Stack): Promise<StackState> {
  const exported = await stack.exportStack().catch(unreadable(stack));
  const resources = (exported.deployment as { resources?: (StateResource & { outputs?: Record<string, unknown> })[] } | undefined)?.resources ?? [];
  const root = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  // The root's outputs are plain values (hpx records no secret there), as stack.outputs() gives them.
  const map = Object.fromEntries(Object.entries(root?.outputs ?? {}).map(([k, value]) => [k, { value, secret: false }]));
  return { outputs: recordedOutputs(map), resources };
}

export function recordedOutputs(outputs: pulumi.automation.OutputMap): RecordedOutputs {
  const desired = outputs.desired?.value as DesiredState | undefined;
  const cluster = outputs.cluster?.value as ClusterIdentity | undefined;
  const stackId = outputs.stackId?.value;
  return {
    stackId: typeof stackId === "string" && /^[0-9a-f]{32}$/.test(stackId) ? stackId : undefined,
    desired: desired && Array.isArray(desired.processes) ? desired : undefined,
    cluster: cluster && typeof cluster.uid === "string" ? cluster : undefined,
    created: (outputs.created?.value as Record<string, string> | undefined) ?? {},
    all: outputs,
  };
}

/**
 * Records `stackId` as the stack's identity in a state an older hpx wrote, before any
 * object is marked with it (a run killed afterwards must find the same identity). A
 * state with resources gets it on its root's outputs; an empty one through an update of
 * a program with no resource.
 */
export async function recordStackId(stack: Stack, stackId: string): Promise<void> {
  const exported = await stack.exportStack();
  const deployment = exported.deployment as { resources?: { type: string; outputs?: Record<string, unknown> }[] } | undefined;
  const resources = deployment?.resources ?? [];
  const root = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  if (!root || resources.length === 1) {
    await upClosing(stack, async () => ({ ...root?.outputs, stackId })).catch(lockedOr(stack));
    return;
  }
  root.outputs = { ...root.outputs, stackId };
  await stack.importStack(exported).catch(lockedOr(stack));
}

/** The lock of another (or a killed) update, as the engine's own lock error says it; anything else as it is. */
function lockedOr(stack: Stack): (err: unknown) => Promise<never> {
  return async (err) => {
    const text = err instanceof Error ? err.message : String(err);
    if (err instanceof (await pulumiSdk()).automation.ConcurrentUpdateError || /the stack is currently locked/.test(text)) throw new StackLockedError(stack.name, [], text);
    throw err;
  };
}

/**
 * Drops every resource but the root stack (or only the components in `only`, with their children) from the stack's
 * state, keeping the objects where they are. `up --accept-cluster` does this when the state names another cluster:
 * the provider would otherwise read and update the old cluster's objects (it keeps the
 * configuration its state recorded for refresh), and the new cluster would get nothing.
 */
export async function forgetResources(stack: Stack, only?: ReadonlySet<string>): Promise<number> {
  const exported = await stack.exportStack();
  const deployment = exported.deployment as { resources?: { type: string; urn: string; parent?: string }[]; pending_operations?: unknown[] };
  const resources = deployment.resources ?? [];
  // A process's component goes with its children: the state refuses a child whose parent it lacks.
  const dropped = (r: { urn: string; parent?: string }) => only!.has(r.urn) || (r.parent !== undefined && only!.has(r.parent));
  const kept = resources.filter((r) => (only ? !dropped(r) : r.type === "pulumi:pulumi:Stack"));
  deployment.resources = kept;
  delete deployment.pending_operations;
  // The lock of an update killed before it ended: the same advice as the engine's own lock error.
  await stack.importStack(exported).catch(lockedOr(stack));
  return resources.length - kept.length;
}

/**
 * The fingerprint of the stack's state now (see plan-file.ts). Also makes this run's
 * temporary workspace use the secrets salt the state records: Pulumi encrypts a plan's
 * secrets with the workspace's salt, and a fresh workspace would otherwise make up a new
 * one, which no other run (on this machine or another) could decrypt.
 */
export async function planState(stack: Stack): Promise<string> {
  const { deployment } = await stack.exportStack();
  await adoptSalt(stack, deployment?.secrets_providers);
  return stateFingerprint(deployment);
}

/**
 * Makes the run's temporary workspace use the passphrase salt a stack's state records
 * (`secretsProviders`, the state's `secrets_providers`), as `Pulumi.<stack>.yaml` holds it
 * beside a stack made by `pulumi stack init`. Without it each update makes up a new salt,
 * derives its key (PBKDF2, a million rounds) besides the state's, and re-encrypts the
 * state with it: 0.1–0.2 s more of the CLI's CPU in each shard's run, measured here. A
 * stack of another secrets provider is left as it is.
 */
export async function adoptSalt(stack: Stack, secretsProviders: unknown): Promise<void> {
  const p = secretsProviders as { type?: string; state?: { salt?: unknown } } | undefined;
  const salt = p?.type === "passphrase" ? p.state?.salt : undefined;
  if (typeof salt !== "string" || salt === "") return;
  const settings = await stack.workspace.stackSettings(stack.name).catch(() => ({}));
  if ((settings as { encryptionSalt?: string }).encryptionSalt === salt) return;
  await stack.workspace.saveStackSettings(stack.name, { ...settings, encryptionSalt: salt });
}
