import type { PortSpec, ProcessSpec, ResourceSpec } from "./process-spec.ts";

/**
 * The name a port gets in the container and the Service: its own `name`, else, when the
 * process has several ports (Kubernetes then requires names), `<protocol>-<port>`.
 */
export function effectivePortName(port: PortSpec, portCount: number): string | undefined {
  return port.name ?? (portCount > 1 ? `${port.protocol}-${port.container_port}` : undefined);
}

/** Hydroplane's defaults that depend on other fields: `host_port` is the container port unless given. */
export function withHydroplaneDefaults(spec: ProcessSpec): ProcessSpec {
  return {
    ...spec,
    container: { ...spec.container, ports: spec.container.ports.map((p) => ({ ...p, host_port: p.host_port ?? p.container_port })) },
  };
}

/** A rule violation at a path relative to the process list (`[index, ...rest]`). */
export interface RuleIssue {
  path: (string | number)[];
  message: string;
}

/** Checks what one field alone cannot: uniqueness and request <= limit. `index` is the position in the file. */
export function crossFieldIssues(processes: readonly { index: number; spec: ProcessSpec }[]): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const firstByName = new Map<string, number>();
  processes.forEach(({ index: i, spec: p }) => {
    const first = firstByName.get(p.process_name);
    if (first === undefined) firstByName.set(p.process_name, i);
    else issues.push({ path: [i, "process_name"], message: `process_name "${p.process_name}" is already used by process ${first}` });

    if (p.has_public_ip && p.container.ports.length === 0) {
      issues.push({ path: [i, "has_public_ip"], message: "a public process needs at least one container port to expose" });
    }
    const ports = new Map<string, number>();
    p.container.ports.forEach((port, j) => {
      const key = `${port.container_port}/${port.protocol}`;
      const seen = ports.get(key);
      if (seen === undefined) ports.set(key, j);
      else issues.push({ path: [i, "container", "ports", j], message: `port ${key} is already declared by ports.${seen}` });
    });

    const envNames = new Map<string, number>();
    p.container.env.forEach((e, j) => {
      const seen = envNames.get(e.name);
      if (seen === undefined) envNames.set(e.name, j);
      else issues.push({ path: [i, "container", "env", j, "name"], message: `env var ${e.name} is already set by env.${seen}` });
    });

    const names = new Map<string, number>();
    p.container.ports.forEach((port, j) => {
      const name = effectivePortName(port, p.container.ports.length);
      if (name === undefined) return;
      const seen = names.get(name);
      if (seen === undefined) names.set(name, j);
      // Two generated names collide only for a port declared twice, reported above.
      else if (port.name !== undefined || p.container.ports[seen]!.name !== undefined)
        issues.push({ path: [i, "container", "ports", j, ...(port.name ? ["name"] : [])], message: `port name ${name} is already used by ports.${seen}` });
    });

    // As in Hydroplane, only fields given on both sides are compared.
    const { resource_request: req, resource_limit: lim } = p.container;
    if (req && lim) {
      for (const field of ["cpu_vcpu", "memory_mib"] as const satisfies readonly (keyof ResourceSpec)[]) {
        const [r, l] = [req[field], lim[field]];
        if (r !== undefined && l !== undefined && r > l) {
          issues.push({
            path: [i, "container", "resource_request", field],
            message: `resource_request.${field} ${r} exceeds resource_limit.${field} ${l}`,
          });
        }
      }
    }
    if ((p.container.username === undefined) !== (p.container.password === undefined)) {
      const given = p.container.username === undefined ? "password" : "username";
      issues.push({ path: [i, "container", given], message: "registry credentials need both username and password" });
    }
  });
  return issues;
}
