import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { toolchain } from "../../src/toolchain.ts";
import { hpx, type CliResult } from "./cli.ts";
import { harnessEnv, testDir } from "./env.ts";

const run = promisify(execFile);

/** A user's project for one test file: its own namespace, stack and directory. */
export interface Project {
  dir: string;
  namespace: string;
  stack: string;
  /** Writes a file in the project directory. */
  write(name: string, text: string): void;
  /** bin/hpx in the project directory, with `-s STACK` added. */
  hpx(args: string[], env?: Record<string, string>): Promise<CliResult>;
  /** The toolchain's kubectl as the cluster admin, in the project's namespace. */
  kubectl(args: string[]): Promise<string>;
  core: CoreV1Api;
  apps: AppsV1Api;
  /** Every object labelled by hpx in the namespace, as `Kind/name`, sorted. */
  hpxObjects(): Promise<string[]>;
}

export function adminConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(harnessEnv().kubeconfig);
  return kc;
}


/** Creates the namespace and a stack file (harness backend, local runtime in that namespace). */
export async function project(name: string): Promise<Project> {
  const dir = testDir(name);
  mkdirSync(join(dir, "stacks"));
  writeFileSync(join(dir, "stacks", `${name}.yml`), `backend: ${harnessEnv().backendUrl}\nruntime: {runtime_type: local, namespace: ${name}}\n`);
  const kc = adminConfig();
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  await core.createNamespace({ body: { metadata: { name } } });
  const sel = { namespace: name, labelSelector: "app.kubernetes.io/managed-by=hpx" };
  return {
    dir,
    namespace: name,
    stack: name,
    write: (file, text) => writeFileSync(join(dir, file), text),
    hpx: (args, env) => hpx([...args, "-s", name], env, dir),
    kubectl: async (args) => (await run(toolchain().kubectl, ["--kubeconfig", harnessEnv().kubeconfig, "-n", name, ...args], { encoding: "utf8" })).stdout,
    core,
    apps,
    hpxObjects: async () => {
      const [d, r, s, sec, p] = await Promise.all([
        apps.listNamespacedDeployment(sel),
        apps.listNamespacedReplicaSet(sel),
        core.listNamespacedService(sel),
        core.listNamespacedSecret(sel),
        core.listNamespacedPod(sel),
      ]);
      const named = (kind: string, items: { metadata?: { name?: string } }[]) => items.map((o) => `${kind}/${o.metadata?.name}`);
      return [
        ...named("Deployment", d.items),
        ...named("ReplicaSet", r.items),
        ...named("Service", s.items),
        ...named("Secret", sec.items),
        ...named("Pod", p.items),
      ].sort();
    },
  };
}
