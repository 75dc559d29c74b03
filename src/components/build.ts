import type { V1Deployment, V1Secret, V1Service } from "@kubernetes/client-node";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { buildEnvSecret, buildRegistrySecret, type BuildOptions } from "./build-secrets.ts";
import { buildService } from "./build-service.ts";
import { buildDeployment } from "./build-workload.ts";

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
  return { deployment: buildDeployment(spec, opts.namespace), service: buildService(spec, opts.namespace), secrets };
}
