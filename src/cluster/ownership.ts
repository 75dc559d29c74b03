import type { V1ObjectMeta } from "@kubernetes/client-node";
import { APPLIED_ANNOTATION } from "../components/marked-objects.ts";
import type { ObjectRef } from "../components/build.ts";
import { PROCESS_ID } from "../components/labels.ts";
import { PART_OF_LABEL, STACK_ANNOTATION, type StackMark } from "../components/stack-mark.ts";
import { StackError } from "../errors.ts";
import type { JsonGet } from "./kube-get.ts";
import { listMetadata } from "./kube-list.ts";

/** An object found in the cluster under a name hpx wants to use. */
export interface LiveObject extends ObjectRef {
  uid: string;
  /** The ApplySet it is a member of (`applyset.kubernetes.io/part-of`), if any. */
  partOf: string | undefined;
  /** The hpx stack name it carries (`hpx.dev/stack`): the only mark an older hpx set. */
  stack: string | undefined;
  /** The digest hpx applied it with (marked-objects.ts), if any. */
  applied: string | undefined;
  /** The process it belongs to (`hydroplane/process-id`), if any. */
  process: string | undefined;
}

/** Who owns an object that is not this stack's, for the refusal: filled in from the ApplySet parents. */
export interface OwnerInfo {
  stack: string;
  /** Where that stack's state lives. */
  state: string | undefined;
}

/**
 * True when `o` is this stack's own: a member of its ApplySet, or, written by an hpx
 * from before ApplySet marks, named after this stack and recorded by its state (the
 * next up marks it anew). A name-only mark the state does not record may be another
 * same-named stack's: never taken.
 */
export function ownedBy(o: LiveObject, mark: StackMark, recorded: ReadonlySet<string>): boolean {
  if (o.partOf !== undefined) return o.partOf === mark.applySetId;
  return o.stack === mark.stack && recorded.has(`${o.kind}/${o.name}`);
}

/**
 * The objects hpx would take over if it applied `wanted`: same kind and name, but not
 * this stack's. The provider's create is a forced server-side apply, so hpx must refuse
 * these itself. Objects of this stack are its own, even when the state lost them (an
 * `up` killed after creating them): applying to them converges.
 */
export function foreignObjects(wanted: readonly ObjectRef[], live: readonly LiveObject[], mark: StackMark, recorded: ReadonlySet<string>): LiveObject[] {
  const byKey = new Map(live.map((o) => [`${o.kind}/${o.name}`, o]));
  return wanted
    .map((w) => byKey.get(`${w.kind}/${w.name}`))
    .filter((o): o is LiveObject => o !== undefined && !ownedBy(o, mark, recorded));
}

/** Describes who owns a foreign object, for the error message. */
export function ownerOf(o: LiveObject, owners: ReadonlyMap<string, OwnerInfo>): string {
  if (o.partOf !== undefined) {
    const owner = owners.get(o.partOf);
    if (!owner) return `belongs to another hpx stack (ApplySet ${o.partOf}, whose parent ConfigMap is gone)`;
    return `belongs to hpx stack ${owner.stack}${owner.state ? ` whose state is at ${owner.state}` : ""} (ApplySet ${o.partOf})`;
  }
  if (o.stack !== undefined) return `carries an older hpx's mark of a stack named ${o.stack}, and this stack's state does not record it`;
  return "not created by hpx";
}

/** Lists the namespace's Deployments, Services and Secrets, their metadata only: three requests whatever their number. */
export async function liveObjects(get: JsonGet, namespace: string): Promise<LiveObject[]> {
  const ns = encodeURIComponent(namespace);
  const [deployments, services, secrets] = await Promise.all([
    listMetadata(get, `/apis/apps/v1/namespaces/${ns}/deployments`),
    listMetadata(get, `/api/v1/namespaces/${ns}/services`),
    listMetadata(get, `/api/v1/namespaces/${ns}/secrets`),
  ]);
  const of = (kind: ObjectRef["kind"], meta: V1ObjectMeta): LiveObject => ({
    kind,
    name: meta.name ?? "",
    uid: meta.uid ?? "",
    partOf: meta.labels?.[PART_OF_LABEL],
    stack: meta.annotations?.[STACK_ANNOTATION],
    applied: meta.annotations?.[APPLIED_ANNOTATION],
    process: meta.labels?.[PROCESS_ID],
  });
  return [...deployments.map((m) => of("Deployment", m)), ...services.map((m) => of("Service", m)), ...secrets.map((m) => of("Secret", m))];
}

/** Fails, naming every object and its owner, when applying `wanted` would take over objects this stack did not create. */
export function refuseForeign(foreign: readonly LiveObject[], namespace: string, stack: string, owners: ReadonlyMap<string, OwnerInfo>): void {
  if (foreign.length === 0) return;
  const names = foreign.map((o) => `${o.kind}/${o.name}`).join(", ");
  throw new StackError(
    `stack ${stack} would take over ${foreign.length === 1 ? "an object" : `${foreign.length} objects`} it did not create in namespace ${namespace}: ${names}`,
    undefined,
    [
      ...foreign.map((o) => `${o.kind}/${o.name} (uid ${o.uid}) ${ownerOf(o, owners)}`),
      "nothing was changed; rename the process, or remove the object if it is not needed",
    ],
  );
}
