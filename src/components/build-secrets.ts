import type { V1Secret } from "@kubernetes/client-node";
import type { ProcessSpec, SecretRef, StringOrSecret } from "../spec/process-spec.ts";
import { processLabels } from "./labels.ts";

/** Values for secret refs, read from the stack's secret store by the caller. */
export type SecretValues = (ref: SecretRef) => string;

export const envSecretName = (spec: ProcessSpec): string => `${spec.process_name}-env`;
export const registrySecretName = (spec: ProcessSpec): string => `${spec.process_name}-registry`;

const valueOf = (v: StringOrSecret, secrets: SecretValues): string => (typeof v === "string" ? v : secrets(v));

/** The env Secret (`<process>-env`, keyed by variable name) when env references the secret store. */
export function buildEnvSecret(spec: ProcessSpec, namespace: string, secrets: SecretValues): V1Secret | undefined {
  const fromStore = spec.container.env.filter((e) => typeof e.value !== "string");
  if (fromStore.length === 0) return undefined;
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: envSecretName(spec), namespace, labels: processLabels(spec) },
    type: "Opaque",
    stringData: Object.fromEntries(fromStore.map((e) => [e.name, valueOf(e.value, secrets)])),
  };
}

/** Registry host of an image reference; Docker Hub when the first segment is not a host. */
export function registryHost(imageUri: string): string {
  const first = imageUri.split("/")[0] ?? "";
  const isHost = imageUri.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  return isHost ? first : "https://index.docker.io/v1/";
}

/** The image pull Secret (`<process>-registry`) when registry credentials are given. */
export function buildRegistrySecret(spec: ProcessSpec, namespace: string, secrets: SecretValues): V1Secret | undefined {
  const { username, password, image_uri } = spec.container;
  if (username === undefined || password === undefined) return undefined;
  const user = valueOf(username, secrets);
  const pass = valueOf(password, secrets);
  const auth = Buffer.from(`${user}:${pass}`).toString("base64");
  const config = { auths: { [registryHost(image_uri)]: { username: user, password: pass, auth } } };
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: registrySecretName(spec), namespace, labels: processLabels(spec) },
    type: "kubernetes.io/dockerconfigjson",
    stringData: { ".dockerconfigjson": JSON.stringify(config) },
  };
}
