/**
 * @pulumi/pulumi, loaded the first time a command needs it. Its import costs about half a
 * second of CPU (its runtime and Automation API load grpc, @npmcli/arborist and pacote),
 * and a no-op preview or up, which reads the state's files and starts no engine, never
 * needs it. Modules that only name its types import them with `import type`.
 */
import { createRequire, Module } from "node:module";

export const pulumiSdk = () => {
  deferArborist();
  return import("@pulumi/pulumi");
};

let deferred = false;

/**
 * Pulumi's runtime requires @npmcli/arborist as it loads (runtime/closure/codePaths.js,
 * which lists a program's packages when a function is serialised into it; hpx's programs
 * serialise none): with pacote and sigstore under it, ~0.15 s of the start of every
 * command that runs an engine (a `node --cpu-prof` of the import, 2026-12-03). Until
 * something uses it, require's cache holds a stand-in in its place, which loads the real
 * module on the first use of any of its exports.
 */
export function deferArborist(): void {
  if (deferred) return;
  deferred = true;
  let fromPulumi: NodeJS.Require;
  let path: string;
  try {
    fromPulumi = createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi/package.json"));
    path = fromPulumi.resolve("@npmcli/arborist");
  } catch {
    return; // A Pulumi SDK laid out otherwise, or without it: nothing to defer.
  }
  if (fromPulumi.cache[path] !== undefined) return;
  let real: Record<string | symbol, unknown> | undefined;
  const load = (): Record<string | symbol, unknown> => {
    if (real === undefined) {
      delete fromPulumi.cache[path];
      real = fromPulumi(path) as Record<string | symbol, unknown>;
    }
    return real;
  };
  const standIn = new Module(path);
  standIn.filename = path;
  standIn.loaded = true;
  // `__esModule` keeps TypeScript's __importStar from copying (and so loading) every export.
  standIn.exports = new Proxy({}, { get: (_target, key) => (key === "__esModule" ? true : load()[key]), has: (_target, key) => key in load() });
  fromPulumi.cache[path] = standIn;
}
