import { mkdirSync } from "node:fs";
import { join } from "node:path";

/** What global-setup.ts started, read from the environment it set. */
export function harnessEnv(): { home: string; kubeconfig: string; motoUrl: string; backendUrl: string } {
  const get = (key: string): string => {
    const value = process.env[key];
    if (!value) throw new Error(`${key} is not set: run integration tests with --test-global-setup=test/harness/global-setup.ts`);
    return value;
  };
  return {
    home: get("HPX_HOME"),
    kubeconfig: get("HPX_TEST_KUBECONFIG"),
    motoUrl: get("HPX_TEST_MOTO_URL"),
    backendUrl: get("HPX_TEST_BACKEND_URL"),
  };
}

/** A fresh directory under the run's HPX_HOME for one test's files. */
export function testDir(name: string): string {
  const dir = join(harnessEnv().home, "tests", `${name}-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}
