import type { V1Node } from "@kubernetes/client-node";

/** Nodes `hpx local up` creates unless told otherwise. */
export const DEFAULT_NODE_COUNT = 3;

/**
 * Pods each simulated node accepts. A real node's default is 110; nothing runs on these,
 * so they take enough for the 2,000 processes the local cluster is sized for on 3 nodes.
 */
export const SIMULATED_NODE_PODS = 1000;

/** Label on every node of the local simulated cluster: nothing really runs there. */
export const SIMULATED_LABEL = "hpx.dev/simulated";

/**
 * The order in which the local API server picks a node's address to reach its kubelet
 * (kube-apiserver `--kubelet-preferred-address-types`): InternalDNS first, which simulated
 * nodes set to localhost, where kwok's server answers pods/log for every node.
 */
export const KUBELET_ADDRESS_TYPES = "InternalDNS,Hostname,InternalIP,ExternalDNS,ExternalIP";

/**
 * A fake node for kwok to manage. Addresses come from the documentation ranges
 * (RFC 5737: 198.51.100.0/24 internal, 203.0.113.0/24 external), which no real
 * host holds, so nothing ever sends traffic to a real machine by mistake.
 */
export function simulatedNode(index: number): V1Node {
  const name = `hpx-node-${index}`;
  const capacity = { cpu: "32", memory: "256Gi", pods: String(SIMULATED_NODE_PODS) };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      // kwok-controller manages exactly the nodes carrying this annotation.
      annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
      labels: {
        type: "kwok",
        [SIMULATED_LABEL]: "true",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/os": "linux",
        "kubernetes.io/hostname": name,
        "node.kubernetes.io/instance-type": "hpx-simulated",
      },
    },
    spec: {},
    status: {
      allocatable: capacity,
      capacity,
      addresses: [
        { type: "InternalIP", address: `198.51.100.${10 + index}` },
        { type: "ExternalIP", address: `203.0.113.${10 + index}` },
        { type: "Hostname", address: name },
        // Where the API server finds this node's kubelet (KUBELET_ADDRESS_TYPES): kwok's server.
        { type: "InternalDNS", address: "localhost" },
      ],
      nodeInfo: {
        architecture: "amd64",
        operatingSystem: "linux",
        kubeletVersion: "kwok",
        kubeProxyVersion: "kwok",
        containerRuntimeVersion: "none (simulated by kwok)",
        kernelVersion: "",
        osImage: "",
        machineID: "",
        systemUUID: "",
        bootID: "",
      },
    },
  };
}
