/**
 * @pulumi/pulumi, loaded the first time a command needs it. Its import costs about half a
 * second of CPU (its runtime and Automation API load grpc, @npmcli/arborist and pacote),
 * and a no-op preview or up, which reads the state's files and starts no engine, never
 * needs it. Modules that only name its types import them with `import type`.
 */
export const pulumiSdk = () => import("@pulumi/pulumi");
