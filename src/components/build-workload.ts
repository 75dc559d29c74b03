import type { V1Container, V1Deployment, V1EnvVar, V1ResourceRequirements } from "@kubernetes/client-node";
import type { PortSpec, ProcessSpec, ResourceSpec } from "../spec/process-spec.ts";
import { effectivePortName } from "../spec/rules.ts";
import { SECRETS_DIGEST_ANNOTATION } from "./secrets-digest.ts";
import { envSecretName, hasRegistryCredentials, registrySecretName } from "./build-secrets.ts";
import { processLabels, selectorLabels } from "./labels.ts";

function quantities(r: ResourceSpec | undefined): Record<string, string> | undefined {
  if (!r || (r.cpu_vcpu === undefined && r.memory_mib === undefined)) return undefined;
  return {
    ...(r.cpu_vcpu !== undefined ? { cpu: `${Math.round(r.cpu_vcpu * 1000)}m` } : {}),
    ...(r.memory_mib !== undefined ? { memory: `${r.memory_mib}Mi` } : {}),
  };
}

function resources(spec: ProcessSpec): V1ResourceRequirements | undefined {
  const requests = quantities(spec.container.resource_request);
  const limits = quantities(spec.container.resource_limit);
  if (!requests && !limits) return undefined;
  return { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
}

function env(spec: ProcessSpec): V1EnvVar[] | undefined {
  if (spec.container.env.length === 0) return undefined;
  return spec.container.env.map((e) =>
    typeof e.value === "string"
      ? { name: e.name, value: e.value }
      : // A real secretKeyRef: Hydroplane's k8s runtime built an invalid `secretRef` here.
        { name: e.name, valueFrom: { secretKeyRef: { name: envSecretName(spec), key: e.name } } },
  );
}

/** `{name}` when the port has one (its own, or generated because the process has several ports). */
export function nameOf(p: PortSpec, count: number): { name?: string } {
  const name = effectivePortName(p, count);
  return name === undefined ? {} : { name };
}

/** The process's single container; `command` replaces the image's entrypoint, as in Hydroplane. */
export function buildContainer(spec: ProcessSpec): V1Container {
  const c = spec.container;
  const envVars = env(spec);
  const res = resources(spec);
  return {
    name: spec.process_name,
    image: c.image_uri,
    ...(c.command ? { command: c.command } : {}),
    // host_port is not used, as in Hydroplane's Kubernetes runtime: the Service exposes the port.
    ...(c.ports.length > 0
      ? {
          ports: c.ports.map((p) => ({
            ...nameOf(p, c.ports.length),
            containerPort: p.container_port,
            protocol: p.protocol.toUpperCase(),
          })),
        }
      : {}),
    ...(envVars ? { env: envVars } : {}),
    ...(res ? { resources: res } : {}),
  };
}

/** The process's Deployment: one replica and `Recreate`, so at most one pod runs at any time. */
export function buildDeployment(spec: ProcessSpec, namespace: string, secretsDigest?: string): V1Deployment {
  const c = spec.container;
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: spec.process_name, namespace, labels: processLabels(spec) },
    spec: {
      replicas: 1,
      strategy: { type: "Recreate" },
      selector: { matchLabels: selectorLabels(spec) },
      template: {
        metadata: { labels: processLabels(spec), ...(secretsDigest ? { annotations: { [SECRETS_DIGEST_ANNOTATION]: secretsDigest } } : {}) },
        spec: {
          containers: [buildContainer(spec)],
          ...(c.node_selector ? { nodeSelector: c.node_selector } : {}),
          ...(hasRegistryCredentials(spec) ? { imagePullSecrets: [{ name: registrySecretName(spec) }] } : {}),
        },
      },
    },
  };
}
