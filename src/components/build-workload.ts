import type { V1Container, V1Deployment, V1EnvVar, V1ResourceRequirements } from "@kubernetes/client-node";
import type { PortSpec, ProcessSpec, ResourceSpec } from "../spec/process-spec.ts";
import { envSecretName, registrySecretName } from "./build-secrets.ts";
import { processLabels, selectorLabels } from "./labels.ts";

/** Port name used when a process has several ports (Kubernetes requires names then). */
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
      : // A real secretKeyRef (Hydroplane's k8s runtime built an invalid `secretRef` here).
        { name: e.name, valueFrom: { secretKeyRef: { name: envSecretName(spec), key: e.name } } },
  );
}

/** The process's Deployment: one replica, Recreate, so at most one pod runs at any time. */
export function buildDeployment(spec: ProcessSpec, namespace: string): V1Deployment {
  const c = spec.container;
  const named = c.ports.length > 1;
  const container: V1Container = {
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
  };
  const envVars = env(spec);
  if (envVars) container.env = envVars;
  const res = resources(spec);
  if (res) container.resources = res;
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
          containers: [container],
          ...(c.node_selector ? { nodeSelector: c.node_selector } : {}),
          ...(c.username !== undefined ? { imagePullSecrets: [{ name: registrySecretName(spec) }] } : {}),
        },
      },
    },
  };
}
