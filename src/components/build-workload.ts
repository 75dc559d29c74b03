import type { V1Container, V1Deployment, V1EnvVar, V1ResourceRequirements } from "@kubernetes/client-node";
import type { PortSpec, ProcessSpec, ResourceSpec } from "../spec/process-spec.ts";
import { envSecretName, hasRegistryCredentials, registrySecretName } from "./build-secrets.ts";
import { processLabels, selectorLabels } from "./labels.ts";

/** Port name (`tcp-80`), used only when a process has several ports: Kubernetes requires names then. */
export const portName = (p: PortSpec): string => `${p.protocol}-${p.container_port}`;

function quantities(r: ResourceSpec): Record<string, string> {
  return { cpu: `${Math.round(r.cpu_vcpu * 1000)}m`, memory: `${r.memory_mib}Mi` };
}

function resources(spec: ProcessSpec): V1ResourceRequirements | undefined {
  const { resource_request: req, resource_limit: lim } = spec.container;
  if (!req && !lim) return undefined;
  return { ...(req ? { requests: quantities(req) } : {}), ...(lim ? { limits: quantities(lim) } : {}) };
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

/** The process's single container; `command` replaces the image's entrypoint, as in Hydroplane. */
export function buildContainer(spec: ProcessSpec): V1Container {
  const c = spec.container;
  const named = c.ports.length > 1;
  const envVars = env(spec);
  const res = resources(spec);
  return {
    name: spec.process_name,
    image: c.image_uri,
    ...(c.command ? { command: c.command } : {}),
    // host_port is ignored, as Hydroplane does on Kubernetes: the Service exposes the port.
    ...(c.ports.length > 0
      ? {
          ports: c.ports.map((p) => ({
            ...(named ? { name: portName(p) } : {}),
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
export function buildDeployment(spec: ProcessSpec, namespace: string): V1Deployment {
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
        metadata: { labels: processLabels(spec) },
        spec: {
          containers: [buildContainer(spec)],
          ...(c.node_selector ? { nodeSelector: c.node_selector } : {}),
          ...(hasRegistryCredentials(spec) ? { imagePullSecrets: [{ name: registrySecretName(spec) }] } : {}),
        },
      },
    },
  };
}
