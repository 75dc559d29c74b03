import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { SpecError } from "../errors.ts";
import { repoRoot } from "../toolchain.ts";
import { loadProcessFile, parseProcessText } from "./load-process-file.ts";

const fixtures = join(repoRoot, "test", "fixtures", "specs");

/** Every problem of each invalid fixture, as `line:col path: message`, in document order. */
const INVALID: [string, string[]][] = [
  ["bad-env.yml", ["5:24 container.env.0.value: expected a string or a secret reference {secret_name, key}, got number 3", "6:24 container.env.1.value: expected a string or a secret reference {secret_name, key}, got a mapping"]],
  ["bad-names.yml", ["1:17 0.process_name: must be a DNS-1123 label: lowercase letters, digits and '-', starting with a letter", "3:17 1.process_name: must be a DNS-1123 label: lowercase letters, digits and '-', starting with a letter", "5:17 2.process_name: must be at most 63 characters"]],
  ["bad-protocol.yml", ["4:42 container.ports.0.protocol: must be one of tcp, udp, got string \"sctp\""]],
  ["bad-resources.yml", ["4:32 container.resource_request.cpu_vcpu: must be a decimal number, e.g. \"0.25\"", "4:49 container.resource_request.memory_mib: expected a whole number, got number 1.5", "5:30 container.resource_limit.cpu_vcpu: must be at least 0.001 vCPU", "5:45 container.resource_limit.memory_mib: must be at least 0"]],
  ["duplicate-names.yml", ["4:19 processes.1.process_name: process_name \"web\" is already used by process 0"]],
  ["duplicate-ports.yml", ["6:7 container.ports.1: port 80/tcp is already declared by ports.0"]],
  ["empty.yml", ["1:1 : the file is empty: expected a process spec, a list of them, or {processes: [...]}"]],
  ["missing-image.yml", ["3:3 container.image_uri: is required"]],
  ["misspelt-key.yml", ["1:1 proces_name: unknown key \"proces_name\": did you mean process_name?", "1:1 process_name: is required"]],
  ["public-without-ports.yml", ["2:16 has_public_ip: a public process needs at least one container port to expose"]],
  ["request-over-limit.yml", ["4:32 container.resource_request.cpu_vcpu: resource_request.cpu_vcpu 1 exceeds resource_limit.cpu_vcpu 0.5", "4:49 container.resource_request.memory_mib: resource_request.memory_mib 512 exceeds resource_limit.memory_mib 256"]],
  ["top-level-node-selector.yml", ["2:1 node_selector: unknown key \"node_selector\": did you mean container.node_selector?"]],
  ["username-without-password.yml", ["4:13 container.username: registry credentials need both username and password"]],
  ["yaml-syntax.yml", ["3:14 : invalid YAML: Nested mappings are not allowed in compact mappings", "3:14 : invalid YAML: Implicit keys need to be on a single line", "5:1 : invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]"]],
];

for (const [file, expected] of INVALID) {
  test(`invalid: ${file}`, () => {
    const path = join(fixtures, "invalid", file);
    assert.throws(
      () => loadProcessFile(path),
      (err: unknown) => {
        assert.ok(err instanceof SpecError);
        assert.equal(err.exitCode, 2);
        assert.ok(err.issues.every((i) => i.file === path));
        assert.deepEqual(err.issues.map((i) => `${i.line}:${i.col} ${i.path}: ${i.message}`), expected);
        return true;
      },
    );
  });
}

test("the three accepted shapes load to the same normalised specs", () => {
  const list = loadProcessFile(join(fixtures, "valid-list.yml"));
  assert.deepEqual(list, [
    { process_name: "a", has_public_ip: false, container: { image_uri: "x", ports: [], env: [] } },
    {
      process_name: "b",
      group: "g",
      has_public_ip: false,
      container: { image_uri: "y", ports: [{ container_port: 1, host_port: 8080, protocol: "tcp" }], env: [] },
    },
  ]);
  assert.deepEqual(loadProcessFile(join(fixtures, "valid-single.json")), [
    {
      process_name: "nginx",
      has_public_ip: true,
      container: { image_uri: "nginxdemos/hello", ports: [{ container_port: 80, protocol: "tcp" }], env: [] },
    },
  ]);
  const three = loadProcessFile(join(fixtures, "valid-processes.yml"));
  assert.deepEqual(three.map((p) => [p.process_name, p.group ?? null, p.has_public_ip]), [["web", "demo", true], ["dns", "demo", false], ["batch", null, false]]);
  assert.deepEqual(three[2]?.container.resource_request, { cpu_vcpu: 0.25, memory_mib: 128 });
});

test("the examples load", () => {
  assert.equal(loadProcessFile(join(repoRoot, "examples", "three-processes.yml")).length, 3);
  assert.equal(loadProcessFile(join(repoRoot, "examples", "nginx.json"))[0]?.process_name, "nginx");
});

test("a missing file is a located spec error", () => {
  assert.throws(() => loadProcessFile("/nonexistent/p.yml"), { message: "/nonexistent/p.yml:1:1: cannot read the file: no such file" });
});

test("secret refs and cpu as a number are accepted", () => {
  const [p] = parseProcessText(
    "process_name: w\ncontainer:\n  image_uri: a\n  resource_request: {cpu_vcpu: 0.5, memory_mib: 0}\n  env: [{name: T, value: {secret_name: api, key: token}}]\n",
    "inline.yml",
  );
  assert.deepEqual(p?.container.env, [{ name: "T", value: { secret_name: "api", key: "token" } }]);
  assert.deepEqual(p?.container.resource_request, { cpu_vcpu: 0.5, memory_mib: 0 });
});
