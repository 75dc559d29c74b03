import type { V1Secret } from "@kubernetes/client-node";
import type { ProcessSpec, SecretRef, StringOrSecret } from "../spec/process-spec.ts";
import { processLabels } from "./labels.ts";

/** Values of secret-store references, read by the caller before building (the builders do no I/O). */
export type SecretValues = (ref: SecretRef) => string;

/** What the builders need besides the spec. */
export interface BuildOptions {
  /** Namespace of every object. */
  namespace: string;
  /** Resolves the spec's secret-store references (env values, registry credentials). */
  secrets: SecretValues;
  /** Key of the pod template's secrets digest (see secrets-digest.ts); no digest without it. */
  digestKey?: string;
}

/** Name of the Secret holding a process's env values from the secret store. */
export const envSecretName = (spec: ProcessSpec): string => `${spec.process_name}-env`;
/** Name of a process's image pull Secret. */
export const registrySecretName = (spec: ProcessSpec): string => `${spec.process_name}-registry`;

/** True when the spec gives private-registry credentials (the spec rules require both or neither). */
export const hasRegistryCredentials = (spec: ProcessSpec): boolean =>
  spec.container.username !== undefined && spec.container.password !== undefined;

const valueOf = (v: StringOrSecret, secrets: SecretValues): string => (typeof v === "string" ? v : secrets(v));

/** The env Secret (`<process>-env`, keyed by variable name), or undefined when no env value comes from the store. */
export function buildEnvSecret(spec: ProcessSpec, opts: BuildOptions): V1Secret | undefined {
  const fromStore = spec.container.env.filter((e) => typeof e.value !== "string");
  if (fromStore.length === 0) return undefined;
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: envSecretName(spec), namespace: opts.namespace, labels: processLabels(spec) },
    type: "Opaque",
    stringData: Object.fromEntries(fromStore.map((e) => [e.name, valueOf(e.value, opts.secrets)])),
  };
}

const DOCKER_HUB = "https://index.docker.io/v1/";

/**
 * Key of an image's registry in a docker config: the image's host, or Docker Hub's
 * legacy key when it has none. The first path segment is a host only when it looks
 * like one (has '.' or ':', is `localhost`, or has capitals), as Docker decides.
 */
export function registryHost(imageUri: string): string {
  const slash = imageUri.indexOf("/");
  const first = slash === -1 ? "" : imageUri.slice(0, slash);
  const isHost = /[.:]/.test(first) || first === "localhost" || first !== first.toLowerCase();
  if (!isHost || first === "docker.io" || first === "index.docker.io") return DOCKER_HUB;
  return first;
}

/** The image pull Secret (`<process>-registry`, dockerconfigjson), or undefined without registry credentials. */
export function buildRegistrySecret(spec: ProcessSpec, opts: BuildOptions): V1Secret | undefined {
  const { username, password, image_uri } = spec.container;
  if (username === undefined || password === undefined) return undefined;
  const user = valueOf(username, opts.secrets);
  const pass = valueOf(password, opts.secrets);
  const auth = Buffer.from(`${user}:${pass}`).toString("base64");
  const config = { auths: { [registryHost(image_uri)]: { username: user, password: pass, auth } } };
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: registrySecretName(spec), namespace: opts.namespace, labels: processLabels(spec) },
    type: "kubernetes.io/dockerconfigjson",
    stringData: { ".dockerconfigjson": JSON.stringify(config) },
  };
}
