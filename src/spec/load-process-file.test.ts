import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "vitest";
import { SpecError } from "../errors.ts";
import { repoRoot } from "../toolchain.ts";
import { loadProcessFile, parseProcessSource, parseProcessText } from "./load-process-file.ts";

const fixtures = join(repoRoot, "test", "fixtures", "specs");

/** Every problem of each invalid fixture, as `line:col path: message`, in document order. */
const INVALID: [string, string[]][] = [
  ["bad-env.yml", ["5:24 container.env.0.value: expected a string or a secret reference {secret_name, key}, got number 3", "6:24 container.env.1.value: expected a string or a secret reference {secret_name, key}, got a mapping"]],
  ["bad-names.yml", ["1:17 0.process_name: must be a DNS-1123 label: lowercase letters, digits and '-', starting with a letter, got string \"Web\"", "3:17 1.process_name: must be a DNS-1123 label: lowercase letters, digits and '-', starting with a letter, got string \"1web\"", "5:17 2.process_name: must be at most 63 characters, got 64"]],
  ["bad-protocol.yml", ["4:42 container.ports.0.protocol: must be one of tcp, udp, got string \"sctp\""]],
  ["bad-resources.yml", ["4:32 container.resource_request.cpu_vcpu: must be a decimal number, e.g. \"0.25\", got string \"abc\"", "4:49 container.resource_request.memory_mib: expected a whole number, got number 1.5", "5:30 container.resource_limit.cpu_vcpu: must be at least 0.001 vCPU, got number 0", "5:45 container.resource_limit.memory_mib: must be at least 0, got number -1"]],
  ["binary-data.yml", ["1:15 process_name: must be a DNS-1123 label: lowercase letters, digits and '-', starting with a letter, got string \"web\\u0000\\u0001\\u0002��\""]],
  ["cpu-zero.yml", ["2:56 container.resource_request.cpu_vcpu: must be at least 0.001 vCPU, got string \"0\""]],
  ["deep-nesting.yml", ["2:37 container.command.0: expected a string, got a list"]],
  ["duplicate-env.yml", ["4:39 container.env.1.name: env var A is already set by env.0"]],
  ["duplicate-names-list.yml", ["2:18 1.process_name: process_name \"a\" is already used by process 0"]],
  ["duplicate-names.yml", ["4:19 processes.1.process_name: process_name \"web\" is already used by process 0"]],
  ["duplicate-port-names.yml", ["4:72 container.ports.1.name: port name http is already used by ports.0"]],
  ["duplicate-ports.yml", ["6:7 container.ports.1: port 80/tcp is already declared by ports.0"]],
  ["empty-processes-entry.yml", ["2:4 processes.0: expected a mapping, got null"]],
  ["empty.yml", ["1:1 : the file is empty: expected a process spec, a list of them, or {processes: [...]}"]],
  ["env-name-invalid.yml", ["2:40 container.env.0.name: must be a valid environment variable name, got string \"1 BAD\""]],
  ["group-spaces.yml", ["2:8 group: must be a valid label value: letters, digits, '-', '_', '.', got string \"my group\""]],
  ["group-too-long.yml", ["2:8 group: must be at most 63 characters, got 64"]],
  ["host-port-too-big.yml", ["2:67 container.ports.0.host_port: must be at most 65535, got number 70000"]],
  ["memory-over-limit.yml", ["2:58 container.resource_request.memory_mib: resource_request.memory_mib 512 exceeds resource_limit.memory_mib 128"]],
  ["missing-image.yml", ["3:3 container.image_uri: is required"]],
  ["misspelt-key.yml", ["1:1 proces_name: unknown key \"proces_name\": did you mean process_name?", "1:1 process_name: is required"]],
  ["name-leading-digit.yml", ["1:15 process_name: must be a DNS-1123 label: lowercase letters, digits and '-', starting with a letter, got string \"1web\""]],
  ["name-too-long.yml", ["1:15 process_name: must be at most 63 characters, got 64"]],
  ["name-uppercase.yml", ["1:15 process_name: must be a DNS-1123 label: lowercase letters, digits and '-', starting with a letter, got string \"Web\""]],
  ["only-comments.yml", ["1:1 : the file is empty: expected a process spec, a list of them, or {processes: [...]}"]],
  ["only-whitespace.yml", ["1:1 : the file is empty: expected a process spec, a list of them, or {processes: [...]}"]],
  ["password-literal.yml", ["2:50 container.password: expected a secret reference {secret_name, key} (a password is never written in the spec), got a string (not shown)"]],
  ["password-without-username.yml", ["2:37 container.password: registry credentials need both username and password"]],
  ["port-fraction.yml", ["2:52 container.ports.0.container_port: expected a whole number, got number 80.5"]],
  ["port-name-too-long.yml", ["2:62 container.ports.0.name: must be a Kubernetes port name: at most 15 lowercase letters, digits and '-', with a letter, no '-' at either end, no '--', got string \"a-very-long-port-name\""]],
  ["port-negative.yml", ["2:52 container.ports.0.container_port: must be at least 1, got number -1"]],
  ["port-too-big.yml", ["2:52 container.ports.0.container_port: must be at most 65535, got number 65536"]],
  ["port-zero.yml", ["2:52 container.ports.0.container_port: must be at least 1, got number 0"]],
  ["protocol-uppercase.yml", ["2:66 container.ports.0.protocol: must be one of tcp, udp, got string \"TCP\""]],
  ["public-without-ports.yml", ["2:16 has_public_ip: a public process needs at least one container port to expose"]],
  ["request-over-limit.yml", ["4:32 container.resource_request.cpu_vcpu: resource_request.cpu_vcpu 1 exceeds resource_limit.cpu_vcpu 0.5", "4:49 container.resource_request.memory_mib: resource_request.memory_mib 512 exceeds resource_limit.memory_mib 256"]],
  ["secret-ref-empty-name.yml", ["2:64 container.env.0.value.secret_name: must not be empty"]],
  ["secret-ref-no-name.yml", ["2:50 container.env.0.value: expected a string or a secret reference {secret_name, key}, got a mapping"]],
  ["syntax-bad-indent.yml", ["2:19 : invalid YAML: Nested mappings are not allowed in compact mappings", "2:19 : invalid YAML: Implicit keys need to be on a single line"]],
  ["syntax-duplicate-key.yml", ["2:1 : invalid YAML: Map keys must be unique"]],
  ["syntax-json-missing-comma.json", ["1:24 : invalid YAML: Unexpected double-quoted-scalar token", "1:18 : invalid YAML: Block collections are not allowed within flow collections"]],
  ["syntax-tab-indent.yml", ["3:1 : invalid YAML: Tabs are not allowed as indentation"]],
  ["syntax-unclosed-flow.yml", ["3:1 : invalid YAML: Flow map in block collection must be sufficiently indented and end with a }"]],
  ["syntax-unclosed-quote.yml", ["3:1 : invalid YAML: Missing closing \"quote"]],
  ["top-level-node-selector.yml", ["2:1 node_selector: unknown key \"node_selector\": did you mean container.node_selector?"]],
  ["type-command-string.yml", ["2:36 container.command: expected a list, got string \"nginx -g daemon off\""]],
  ["type-container-string.yml", ["2:12 container: expected a mapping, got string \"nginx\""]],
  ["type-env-mapping.yml", ["2:32 container.env: expected a list, got a mapping"]],
  ["type-env-name-number.yml", ["2:40 container.env.0.name: expected a string, got number 5"]],
  ["type-group-number.yml", ["2:8 group: expected a string, got number 7"]],
  ["type-image-empty.yml", ["2:24 container.image_uri: must not be empty"]],
  ["type-image-number.yml", ["2:24 container.image_uri: expected a string, got number 3"]],
  ["type-list-of-strings.yml", ["1:3 0: expected a mapping, got string \"web\"", "2:3 1: expected a mapping, got string \"api\""]],
  ["type-name-number.yml", ["1:15 process_name: expected a string, got number 42"]],
  ["type-node-selector-list.yml", ["2:42 container.node_selector: expected a mapping, got a list"]],
  ["type-node-selector-number.yml", ["2:50 container.node_selector.cores: expected a string, got number 8"]],
  ["type-port-string.yml", ["2:52 container.ports.0.container_port: expected a number, got string \"eighty\""]],
  ["type-ports-mapping.yml", ["2:34 container.ports: expected a list, got a mapping"]],
  ["type-processes-mapping.yml", ["1:12 processes: expected a list, got a mapping"]],
  ["type-processes-null.yml", ["1:11 processes: expected a list, got null"]],
  ["type-public-string.yml", ["2:16 has_public_ip: expected true or false, got string \"yes\""]],
  ["type-resources-string.yml", ["2:43 container.resource_limit: expected a mapping, got string \"1 cpu\""]],
  ["type-top-level-number.yml", ["1:1 : expected a mapping, got number 42"]],
  ["type-top-level-string.yml", ["1:1 : expected a mapping, got string \"just some text\""]],
  ["unknown-env-key.yml", ["2:33 container.env.0.value: is required", "2:43 container.env.0.val: unknown key \"val\": did you mean value?"]],
  ["unknown-image-key.yml", ["2:12 container.image_uri: is required", "2:13 container.imag_uri: unknown key \"imag_uri\": did you mean image_uri?"]],
  ["unknown-port-key.yml", ["2:35 container.ports.0.container_port: is required", "2:36 container.ports.0.port: unknown key \"port\""]],
  ["unknown-processes-key.yml", ["1:1 container: is required", "1:1 proceses: unknown key \"proceses\": did you mean processes?", "1:1 process_name: is required"]],
  ["unknown-resource-key.yml", ["2:46 container.resource_request.cpu: unknown key \"cpu\": did you mean cpu_vcpu?"]],
  ["unknown-secret-ref-key.yml", ["2:67 container.env.0.value.field: unknown key \"field\""]],
  ["username-without-password.yml", ["4:13 container.username: registry credentials need both username and password"]],
  ["yaml-alias-bomb.yml", ["1:1 : invalid YAML: Excessive alias count indicates a resource exhaustion attack"]],
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
    "2:37 container.password: expected a secret reference {secret_name, key} (a password is never written in the spec), got a string (not shown)",
  ]);
  assert.deepEqual(problems("process_name: a\ncontainer: {image_uri: x, ports: [{container_port: 1, name: Bad--Name}]}\n"), [
    "2:61 container.ports.0.name: must be a Kubernetes port name: at most 15 lowercase letters, digits and '-', with a letter, no '-' at either end, no '--', got string \"Bad--Name\"",
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

test("hpx serve's door: keys the spec does not have are dropped with a located warning (Hydroplane ignores them); the files hpx reads stay strict", () => {
  const text = '{"process_name": "nginx", "container": {"image_uri": "nginx"}, "node_selector": {"a": "b"}, "container_x": 1}';
  const source = parseProcessSource(text, "request body", { unknownKeys: "warn" });
  assert.equal(source.processes[0]!.process_name, "nginx");
  assert.deepEqual(source.warnings.map((w) => `${w.line}:${w.col} ${w.path}: ${w.message}`), [
    `1:${text.indexOf('"node_selector"') + 1} node_selector: unknown key "node_selector": did you mean container.node_selector?`,
    `1:${text.indexOf('"container_x"') + 1} container_x: unknown key "container_x": did you mean container?`,
  ]);
  assert.throws(() => parseProcessSource(text, "f.json"), SpecError);
});
