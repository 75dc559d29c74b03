import type { V1Deployment, V1Secret, V1Service } from "@kubernetes/client-node";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { buildEnvSecret, buildRegistrySecret, envSecretName, hasRegistryCredentials, registrySecretName, type BuildOptions } from "./build-secrets.ts";
import { buildService } from "./build-service.ts";
import { buildDeployment } from "./build-workload.ts";
import { secretsDigest } from "./secrets-digest.ts";

export type { BuildOptions, SecretValues } from "./build-secrets.ts";

/** Every Kubernetes object of one process. */
export interface ProcessObjects {
  deployment: V1Deployment;
  service: V1Service;
  /** The env Secret and the image pull Secret, those the spec needs, in that order. */
  secrets: V1Secret[];
}

/** Maps a process spec to its Kubernetes objects; pure: secret values come from `opts.secrets`. */
export function buildProcess(spec: ProcessSpec, opts: BuildOptions): ProcessObjects {
  const secrets = [buildEnvSecret(spec, opts), buildRegistrySecret(spec, opts)].filter((s): s is V1Secret => s !== undefined);
  const digest = opts.digestKey === undefined ? undefined : secretsDigest(secrets, opts.digestKey);
  return { deployment: buildDeployment(spec, opts.namespace, digest), service: buildService(spec, opts.namespace), secrets };
}

/** Kind and name of one object hpx applies. */
export interface ObjectRef {
  kind: "Deployment" | "Service" | "Secret";
  name: string;
}

/** The objects {@link buildProcess} makes for a spec, by kind and name, without reading any secret. */
export function processObjectRefs(spec: ProcessSpec): ObjectRef[] {
  const refs: ObjectRef[] = [
    { kind: "Deployment", name: spec.process_name },
    { kind: "Service", name: spec.process_name },
  ];
  if (spec.container.env.some((e) => typeof e.value !== "string")) refs.push({ kind: "Secret", name: envSecretName(spec) });
  if (hasRegistryCredentials(spec)) refs.push({ kind: "Secret", name: registrySecretName(spec) });
  return refs;
}
