/**
 * What each tool does for each operation at one N (the tables in docs/performance.md): the
 * commands bench/run.ts measures, on the same objects, each tool in its own namespace.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { RELEASE, uninstallArgs, upgradeArgs, writeChart, type HelmSide, type HelmSplit } from "./helm.ts";
import { LS_RUNS, measure, measureAll, medianOf, sum, type Measured } from "./measure.ts";
import type { Operation, Tool } from "./targets.ts";

/** What a tool does for each operation; a tool without an operation has no row. */
export type Plan = Partial<Record<Operation, () => Promise<Measured>>>;

/** What the plans of one N are made from. `S` is a process spec as hpx's file holds it. */
export interface PlanInputs<S> {
  n: number;
  /** Where this N's files go. */
  dir: string;
  /** The N processes. */
  specs: S[];
  /** The same, p0000's image changed: the one-process change. */
  changed: S[];
  /** The objects hpx's builders make of `list` in `ns`: every peer applies exactly these. */
  objects: (ns: string, list: S[]) => object[];
  hpxBin: string;
  helm: string;
  kubeconfig: string;
  /** kube-apiserver's audit log, where requests are counted. */
  auditLog: string;
  /** hpx's and Helm's own limit on their waits. */
  waitTimeout: string;
  /** Helm's client rate flags for `helm-tuned`. */
  tunedRateFlags: string[];
  /** How Helm's releases split the processes; unset when no Helm tool runs at this N. */
  split: HelmSplit | undefined;
  kubectl: (args: string[], okCodes?: number[]) => Promise<Measured>;
  /** kubectl's `ls`: what `hpx ls` is measured against. */
  kubectlLs: (ns: string) => Promise<Measured>;
  /** bench/floor.ts on a namespace. */
  floor: (ns: string, args: string[]) => Promise<Measured>;
}

/** Each tool's plan for a namespace; a plan writes the files its commands read. */
export function toolPlans<S>(p: PlanInputs<S>): Record<Tool, (ns: string) => Plan> {
  const { n, dir, specs, changed, objects, auditLog, waitTimeout, kubectl, floor } = p;
  const objectsFile = (ns: string, name: string, list: S[]) => {
    writeFileSync(join(dir, name), objects(ns, list).map((d) => stringify(d)).join("---\n"));
    return join(dir, name);
  };

  function helmPlan(side: HelmSide): Plan {
    if (!p.split) throw new Error(`N=${n}: Helm's releases were not split before its plan`);
    const { processes_per_release: per, releases: count } = p.split;
    const releases = Array.from({ length: count }, (_, k) => {
      const name = count === 1 ? RELEASE : `${RELEASE}-${k}`;
      const part = (list: S[]) => list.slice(k * per, (k + 1) * per);
      return {
        name,
        chart: writeChart(join(dir, `chart-${side.namespace}-${name}`), objects(side.namespace, part(specs))),
        changed: writeChart(join(dir, `chart-${side.namespace}-${name}-changed`), objects(side.namespace, part(changed))),
      };
    });
    // Every release's command at once, measured together (one release: one command).
    const helmRun = (args: (r: (typeof releases)[number]) => string[]) => measureAll(releases.map((r) => ({ cmd: p.helm, args: args(r) })), { auditLog });
    return {
      "cold up": () => helmRun((r) => upgradeArgs(side, r.name, r.chart)),
      // Helm has no preview: its no-op is the same upgrade with nothing changed.
      "no-op preview": () => helmRun((r) => upgradeArgs(side, r.name, r.chart)),
      // Every release upgraded, as a declarative team (helmfile sync) does; only p0000's changed.
      "one-process change": () => helmRun((r) => upgradeArgs(side, r.name, r.changed)),
      // To hpx destroy's end point: uninstall, then until the pods are gone.
      destroy: async () => sum(await helmRun((r) => uninstallArgs(side, r.name)), await floor(side.namespace, ["--wait", "gone"])),
    };
  }

  return {
    hpx: (ns) => {
      const stack = `bench-${n}`;
      mkdirSync(join(dir, "stacks"));
      writeFileSync(join(dir, "stacks", `${stack}.yml`), `runtime: {runtime_type: local, namespace: ${ns}}\n`);
      writeFileSync(join(dir, "processes.yml"), stringify({ processes: specs }));
      writeFileSync(join(dir, "changed.yml"), stringify({ processes: changed }));
      const hpx = (args: string[]) => measure(p.hpxBin, args, { cwd: dir, auditLog });
      return {
        "cold up": () => hpx(["up", "processes.yml", "--yes", "-s", stack, "--timeout", waitTimeout]),
        "no-op preview": () => hpx(["preview", "processes.yml", "--expect-no-changes", "-s", stack]),
        "one-process change": () => hpx(["up", "changed.yml", "--yes", "-s", stack, "--timeout", waitTimeout]),
        ls: () => medianOf(LS_RUNS, () => hpx(["ls", "-s", stack])),
        destroy: () => hpx(["destroy", "--yes", "-s", stack, "--timeout", waitTimeout]),
      };
    },
    kubectl: (ns) => {
      const all = objectsFile(ns, "kubectl.yaml", specs);
      const allChanged = objectsFile(ns, "kubectl-changed.yaml", changed);
      return {
        "cold up": async () => sum(await kubectl(["apply", "--server-side", "-f", all]), await kubectl(["wait", "-n", ns, "--for=condition=Available", "deployment", "--all", "--timeout=30m"])),
        "no-op preview": () => kubectl(["diff", "--server-side", "-f", all], [0]),
        // The whole file, as a declarative user does.
        "one-process change": async () => sum(await kubectl(["apply", "--server-side", "-f", allChanged]), await kubectl(["rollout", "status", "-n", ns, "deployment/p0000", "--timeout=10m"])),
        ls: () => p.kubectlLs(ns),
        destroy: () => kubectl(["delete", "--wait", "-f", allChanged]),
      };
    },
    helm: (ns) => helmPlan({ kubeconfig: p.kubeconfig, namespace: ns, rateFlags: [], timeout: waitTimeout }),
    "helm-tuned": (ns) => helmPlan({ kubeconfig: p.kubeconfig, namespace: ns, rateFlags: p.tunedRateFlags, timeout: waitTimeout }),
    floor: (ns) => {
      const all = objectsFile(ns, "floor.yaml", specs);
      const allChanged = objectsFile(ns, "floor-changed.yaml", changed);
      return {
        "cold up": () => floor(ns, ["--apply", all, "--wait", "ready"]),
        // The floor's no-op is the same applies again, and the (immediate) wait.
        "no-op preview": () => floor(ns, ["--apply", all, "--wait", "ready"]),
        "one-process change": () => floor(ns, ["--apply", allChanged, "--wait", "ready"]),
        destroy: () => floor(ns, ["--delete", allChanged, "--wait", "gone"]),
      };
    },
  };
}
