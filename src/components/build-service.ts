import type { V1Service } from "@kubernetes/client-node";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { nameOf } from "./build-workload.ts";
import { processLabels, selectorLabels } from "./labels.ts";

/**
 * The process's Service, named after it: NodePort when public (reached on its node's
 * external IP), ClusterIP when private; one port per container port, port = targetPort.
 *
 * Kubernetes rejects a Service without ports unless it is headless, so a private process
 * without ports gets a headless one (`clusterIP: None`): its name still resolves to the
 * pod inside the cluster, as Hydroplane's always-present Service would. A public process
 * without ports has nothing to expose; the spec rules reject it and so does this builder.
 */
export function buildService(spec: ProcessSpec, namespace: string): V1Service {
  const ports = spec.container.ports;
  if (ports.length === 0 && spec.has_public_ip) {
    throw new Error(`process ${spec.process_name}: a public process needs at least one container port to expose`);
  }
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: spec.process_name, namespace, labels: processLabels(spec) },
    spec: {
      type: spec.has_public_ip ? "NodePort" : "ClusterIP",
      ...(ports.length === 0 ? { clusterIP: "None" } : {}),
      selector: selectorLabels(spec),
      ...(ports.length > 0
        ? {
            ports: ports.map((p) => ({
              ...nameOf(p, ports.length),
              port: p.container_port,
              targetPort: p.container_port,
              protocol: p.protocol.toUpperCase(),
            })),
          }
        : {}),
    },
  };
}
