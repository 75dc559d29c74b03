import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "vitest";
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
      container: { image_uri: "nginxdemos/hello", ports: [{ container_port: 80, host_port: 80, protocol: "tcp" }], env: [] },
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

test("every field of Hydroplane's spec loads: named ports, host_port defaulted, lone resource fields, registry credentials", () => {
  const [spec] = loadProcessFile(join(fixtures, "every-field.yml"));
  assert.deepEqual(spec, {
    process_name: "full",
    group: "g1",
    has_public_ip: true,
    container: {
      image_uri: "registry.example:5000/team/app:1.2",
      command: ["/app", "--port", "8443"],
      ports: [
        { container_port: 8443, host_port: 443, protocol: "tcp", name: "https" },
        { container_port: 5353, host_port: 5353, protocol: "udp" },
      ],
      env: [
        { name: "MODE", value: "demo" },
        { name: "TOKEN", value: { secret_name: "api", key: "token" } },
      ],
      resource_request: { memory_mib: 256 },
      resource_limit: { cpu_vcpu: 3.5 },
      node_selector: { "kubernetes.io/arch": "amd64" },
      username: { secret_name: "registry", key: "user" },
      password: { secret_name: "registry", key: "password" },
    },
  });
});

test("Hydroplane's own rejections are refused, located, and no message says undefined", () => {
  const problems = (text: string): string[] => {
    try {
      parseProcessText(text, "f.yml");
      return [];
    } catch (err) {
      return (err as { issues: { line: number; col: number; path: string; message: string }[] }).issues.map((i) => `${i.line}:${i.col} ${i.path}: ${i.message}`);
    }
  };
  assert.deepEqual(problems("process_name: a\ncontainer: {image_uri: x, password: hunter2, username: u}\n"), [
    '2:37 container.password: expected a secret reference {secret_name, key} (a password is never written in the spec), got string "hunter2"',
  ]);
  assert.deepEqual(problems("process_name: a\ncontainer: {image_uri: x, ports: [{container_port: 1, name: Bad--Name}]}\n"), [
    "2:61 container.ports.0.name: must be a Kubernetes port name: at most 15 lowercase letters, digits and '-', with a letter, no '-' at either end, no '--'",
  ]);
  assert.deepEqual(
    problems("process_name: a\ncontainer:\n  image_uri: x\n  ports: [{container_port: 1, name: web}, {container_port: 2, name: web}]\n"),
    ["4:69 container.ports.1.name: port name web is already used by ports.0"],
  );
  assert.deepEqual(problems("process_name: a\ncontainer: {image_uri: x, resource_request: {cpu_vcpu: 2}, resource_limit: {cpu_vcpu: 1, memory_mib: 5}}\n"), [
    "2:56 container.resource_request.cpu_vcpu: resource_request.cpu_vcpu 2 exceeds resource_limit.cpu_vcpu 1",
  ]);
  // Fields given on one side only are not compared.
  assert.deepEqual(problems("process_name: a\ncontainer: {image_uri: x, resource_request: {memory_mib: 512}, resource_limit: {cpu_vcpu: \"0.5\"}}\n"), []);
  for (const text of [
    "process_name: a\ncontainer: {image_uri: x, resource_limit: {cpu_vcpu: [1]}}\n",
    "process_name: a\ncontainer: {image_uri: x, env: [{name: A}]}\n",
    "process_name: a\ncontainer: {image_uri: x, ports: [{}]}\n",
  ]) {
    const found = problems(text);
    assert.ok(found.length > 0, text);
    for (const line of found) assert.doesNotMatch(line, /undefined/, line);
  }
});
