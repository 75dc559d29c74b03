import type { ProcessSpec, ResourceSpec } from "./process-spec.ts";

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

    const { resource_request: req, resource_limit: lim } = p.container;
    if (req && lim) {
      for (const field of ["cpu_vcpu", "memory_mib"] as const satisfies readonly (keyof ResourceSpec)[]) {
        if (req[field] > lim[field]) {
          issues.push({
            path: [i, "container", "resource_request", field],
            message: `resource_request.${field} ${req[field]} exceeds resource_limit.${field} ${lim[field]}`,
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
