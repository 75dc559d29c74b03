import type { V1Service } from "@kubernetes/client-node";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { portName } from "./build-workload.ts";
import { processLabels, selectorLabels } from "./labels.ts";

/**
 * The process's Service: NodePort when public (reachable on its node's external IP),
 * ClusterIP when private. A private process without ports gets a headless Service,
 * which Kubernetes allows without ports: its name still resolves inside the cluster
 * (a public one without ports is a spec error).
 */
export function buildService(spec: ProcessSpec, namespace: string): V1Service {
  const ports = spec.container.ports;
  const named = ports.length > 1;
  const headless = ports.length === 0;
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: spec.process_name, namespace, labels: processLabels(spec) },
    spec: {
      type: spec.has_public_ip ? "NodePort" : "ClusterIP",
      ...(headless ? { clusterIP: "None" } : {}),
      selector: selectorLabels(spec),
      ...(headless
        ? {}
        : {
            ports: ports.map((p) => ({
              ...(named ? { name: portName(p) } : {}),
              port: p.container_port,
              targetPort: p.container_port,
              protocol: p.protocol.toUpperCase(),
            })),
          }),
    },
  };
}
