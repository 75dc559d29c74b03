/**
 * A sharded stack's state, read as one: the root's record (identity, cluster, shard
 * count) and the shards' resources and outputs, with every URN named after the hpx stack
 * as if it were one Pulumi stack. The operations and their guards read this view, so
 * they work the same for one stack or forty.
 */
import type * as pulumi from "@pulumi/pulumi";
import { HYDRO_PROCESS_TOKEN } from "../components/hydro-process-token.ts";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { rehomeUrn } from "./shard-layout.ts";
import { recordedOutputs, type StackState } from "./stack-state.ts";
import type { StateResource } from "./state-record.ts";
import { byCodeUnits } from "../code-unit-order.ts";

/** The part of an exported deployment hpx reads. */
export interface Deployment {
  resources?: (StateResource & { outputs?: Record<string, unknown> })[];
  pending_operations?: unknown[];
  secrets_providers?: unknown;
}

/** One Pulumi stack's deployment (undefined: the stack does not exist yet). */
export interface NamedDeployment {
  name: string;
  deployment: Deployment | undefined;
}

/** The root's record of a sharded stack. */
export interface RootRecord {
  stackId?: string;
  cluster?: unknown;
  /** How many shards the stack has; 0 for a stack without processes or an older hpx's single stack. */
  shards: number;
}

export const rootOutputs = (d: Deployment | undefined): Record<string, unknown> => d?.resources?.find((r) => r.type === "pulumi:pulumi:Stack")?.outputs ?? {};

/** The root's record, as its outputs say. */
export function rootRecord(root: Deployment | undefined): RootRecord {
  const out = rootOutputs(root);
  const shards = typeof out.shards === "number" && Number.isInteger(out.shards) && out.shards >= 0 ? out.shards : 0;
  return { ...(typeof out.stackId === "string" ? { stackId: out.stackId } : {}), ...(out.cluster !== undefined ? { cluster: out.cluster } : {}), shards };
}

/** The processes (component names) a deployment holds. */
export function componentNames(d: Deployment | undefined): string[] {
  return (d?.resources ?? []).filter((r) => r.type === HYDRO_PROCESS_TOKEN && !r.delete).map((r) => r.urn.slice(r.urn.lastIndexOf("::") + 2));
}

/** Whether the root still holds processes itself (an older hpx's single stack, or a migration cut short). */
export const rootHoldsProcesses = (root: Deployment | undefined): boolean => componentNames(root).length > 0;

interface Part {
  desired: ProcessSpec[];
  order: Record<string, number>;
  processes: Record<string, unknown>;
  created: Record<string, string>;
}

function partOf(d: Deployment | undefined): Part {
  const out = rootOutputs(d);
  const desired = (out.desired as { processes?: ProcessSpec[] } | undefined)?.processes ?? [];
  const order = (out.order as Record<string, number> | undefined) ?? Object.fromEntries(desired.map((p, i) => [p.process_name, i]));
  return { desired, order, processes: (out.processes as Record<string, unknown>) ?? {}, created: (out.created as Record<string, string>) ?? {} };
}

/**
 * The merged view. A process recorded twice (a move cut short between its two writes)
 * counts once, the shard's copy over the root's: the move writes the shard first.
 */
export function mergeStates(stack: string, root: Deployment | undefined, shards: readonly NamedDeployment[]): StackState {
  const rec = rootRecord(root);
  const parts = [partOf(root), ...shards.map((s) => partOf(s.deployment))];
  const specs = new Map<string, { spec: ProcessSpec; at: number }>();
  const processes: Record<string, unknown> = {};
  const created: Record<string, string> = {};
  for (const part of parts) {
    for (const spec of part.desired) specs.set(spec.process_name, { spec, at: part.order[spec.process_name] ?? Number.MAX_SAFE_INTEGER });
    Object.assign(processes, part.processes);
    Object.assign(created, part.created);
  }
  const inShards = new Set(shards.flatMap((s) => componentNames(s.deployment)));
  const rootResources = (root?.resources ?? []).filter((r) => !(r.type === HYDRO_PROCESS_TOKEN || r.parent?.includes(`${HYDRO_PROCESS_TOKEN}::`)) || !inShards.has(processOfResource(r)));
  const resources = [...rootResources, ...shards.flatMap((s) => (s.deployment?.resources ?? []).filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => rehomed(r, s.name, stack)))];
  const ordered = [...specs.values()].sort((a, b) => a.at - b.at || byCodeUnits(a.spec.process_name, b.spec.process_name)).map((s) => s.spec);
  const cluster = rec.cluster ?? parts.map((p, i) => (i === 0 ? undefined : rootOutputs(shards[i - 1]!.deployment).cluster)).find((c) => c !== undefined);
  const stackId = rec.stackId ?? rootOutputs(root).stackId;
  // A stack without shards records a desired state only as an older hpx's single stack did.
  const hasDesired = rootOutputs(root).desired !== undefined || shards.length > 0;
  const all: pulumi.automation.OutputMap = {};
  const put = (k: string, value: unknown) => value !== undefined && (all[k] = { value, secret: false });
  put("stackId", stackId);
  if (hasDesired) put("desired", { processes: ordered });
  put("cluster", cluster);
  if (hasDesired) put("processes", processes);
  if (hasDesired) put("created", created);
  return { outputs: recordedOutputs(all), resources };
}

/** The process a component or one of its objects belongs to. */
function processOfResource(r: StateResource): string {
  const urn = r.type === HYDRO_PROCESS_TOKEN ? r.urn : (r.parent ?? "");
  return urn.slice(urn.lastIndexOf("::") + 2);
}

function rehomed<T extends StateResource>(r: T, from: string, to: string): T {
  return { ...r, urn: rehomeUrn(r.urn, from, to), ...(r.parent ? { parent: rehomeUrn(r.parent, from, to) } : {}) };
}
