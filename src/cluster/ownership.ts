import { AppsV1Api, CoreV1Api, type KubeConfig, type V1ObjectMeta } from "@kubernetes/client-node";
import { STACK_ANNOTATION } from "../components/annotations.ts";
import { APPLIED_ANNOTATION } from "../components/marked-objects.ts";
import type { ObjectRef } from "../components/build.ts";
import { StackError } from "../errors.ts";

/** An object found in the cluster under a name hpx wants to use. */
export interface LiveObject extends ObjectRef {
  uid: string;
  /** The hpx stack that marked it, if any. */
  stack: string | undefined;
  /** The digest hpx applied it with (marked-objects.ts), if any. */
  applied: string | undefined;
}

/**
 * The objects hpx would take over if it applied `wanted`: same kind and name, but not
 * marked as this stack's. The provider's create is a forced server-side apply, so hpx
 * must refuse these itself. Objects marked by this stack are its own, even when the
 * state lost them (an `up` killed after creating them): applying to them converges.
 */
export function foreignObjects(wanted: readonly ObjectRef[], live: readonly LiveObject[], stack: string): LiveObject[] {
  const byKey = new Map(live.map((o) => [`${o.kind}/${o.name}`, o]));
  return wanted
    .map((w) => byKey.get(`${w.kind}/${w.name}`))
    .filter((o): o is LiveObject => o !== undefined && o.stack !== stack);
}

/** Describes who owns a foreign object, for the error message. */
export function ownerOf(o: LiveObject): string {
  return o.stack === undefined ? "not created by hpx" : `belongs to hpx stack ${o.stack}`;
}

/** Lists the namespace's Deployments, Services and Secrets: three requests whatever their number. */
export async function liveObjects(kc: KubeConfig, namespace: string): Promise<LiveObject[]> {
  const apps = kc.makeApiClient(AppsV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const [deployments, services, secrets] = await Promise.all([
    apps.listNamespacedDeployment({ namespace }),
    core.listNamespacedService({ namespace }),
    core.listNamespacedSecret({ namespace }),
  ]);
  const of = (kind: ObjectRef["kind"], meta: V1ObjectMeta | undefined): LiveObject => ({
    kind,
    name: meta?.name ?? "",
    uid: meta?.uid ?? "",
    stack: meta?.annotations?.[STACK_ANNOTATION],
    applied: meta?.annotations?.[APPLIED_ANNOTATION],
  });
  return [
    ...deployments.items.map((o) => of("Deployment", o.metadata)),
    ...services.items.map((o) => of("Service", o.metadata)),
    ...secrets.items.map((o) => of("Secret", o.metadata)),
  ];
}

/** Fails, naming every object, when applying `wanted` would take over objects this stack did not create. */
export function refuseForeign(foreign: readonly LiveObject[], namespace: string, stack: string): void {
  if (foreign.length === 0) return;
  const names = foreign.map((o) => `${o.kind}/${o.name}`).join(", ");
  throw new StackError(
    `stack ${stack} would take over ${foreign.length === 1 ? "an object" : `${foreign.length} objects`} it did not create in namespace ${namespace}: ${names}`,
    undefined,
    [
      ...foreign.map((o) => `${o.kind}/${o.name} (uid ${o.uid}) ${ownerOf(o)}`),
      "nothing was changed; rename the process, or remove the object if it is not needed",
    ],
  );
}
