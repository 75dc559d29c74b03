import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, test } from "vitest";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { parse } from "yaml";
import { repoRoot } from "../src/toolchain.ts";
import type { CliResult } from "./harness/cli.ts";
import { harnessEnv, testDir } from "./harness/env.ts";
import { adminConfig } from "./harness/project.ts";
import { AppsV1Api, CoreV1Api } from "@kubernetes/client-node";

// The pipelines of examples/ci, played on two "machines" (two HPX_HOMEs) that share the
// stack through an S3 backend on moto and deploy to the harness cluster.
const NS = "ci-pipeline";
const BUCKET = "hpx-ci-state";
const CANARY = "canary-ci-s3cr3t-4242";
let dir: string;
let env: Record<string, string>;

function machine(name: string): Record<string, string> {
  const home = join(dir, `machine-${name}`);
  mkdirSync(home, { recursive: true });
  return { ...env, HPX_HOME: home };
}

/** A command started with bash in the project directory; in its own process group. */
function start(command: string, extra: Record<string, string>): { pid: number; stderr: () => string; done: Promise<CliResult> } {
  const child = spawn("bash", ["-c", command], { cwd: dir, env: { ...process.env, ...extra }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
  return { pid: child.pid!, stderr: () => stderr, done };
}

/** Runs one pipeline line with bash, as a runner would, in the project directory. */
const sh = (command: string, extra: Record<string, string>): Promise<CliResult> => start(command, extra).done;

/** The `hpx` lines of each job, in order, from the GitHub and GitLab files. */
function pipelineCommands(): { plan: string[]; apply: string[] } {
  const gh = parse(readFileSync(join(repoRoot, "examples", "ci", "github-actions.yml"), "utf8")) as { jobs: Record<string, { steps: { run?: string }[] }> };
  const gl = parse(readFileSync(join(repoRoot, "examples", "ci", "gitlab-ci.yml"), "utf8")) as Record<string, { script?: string[] }>;
  const hpxLines = (lines: (string | undefined)[]) => lines.filter((l): l is string => l !== undefined && l.startsWith("hpx "));
  const github = { plan: hpxLines(gh.jobs.plan!.steps.map((s) => s.run)), apply: hpxLines(gh.jobs.apply!.steps.map((s) => s.run)) };
  const gitlab = { plan: hpxLines(gl["hpx-plan"]!.script!), apply: hpxLines(gl["hpx-apply"]!.script!) };
  assert.deepEqual(gitlab, github, "both pipeline files run the same hpx commands");
  return github;
}

beforeAll(async () => {
  const h = harnessEnv();
  dir = testDir("ci");
  await fetch(`${h.motoUrl}/${BUCKET}`, { method: "PUT" });
  const kc = adminConfig();
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NS } } });
  mkdirSync(join(dir, "stacks"));
  writeFileSync(join(dir, "processes.yml"), readFileSync(join(repoRoot, "examples", "ci", "processes.yml")));
  // The example stack, pointed at moto's S3 and the harness cluster instead of AWS.
  writeFileSync(
    join(dir, "stacks", "ci.yml"),
    `secret_store: {secret_store_type: env}\nbackend: s3://${BUCKET}/ci?region=us-east-1&endpoint=${h.motoUrl}&use_path_style=true\n` +
      `runtime: {runtime_type: kubeconfig, kubeconfig: ${h.kubeconfig}, namespace: ${NS}}\n`,
  );
  env = {
    CI: "true",
    PATH: `${join(repoRoot, "bin")}:${process.env.PATH}`,
    AWS_ACCESS_KEY_ID: "AKIAHPXCIEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "hpx-ci-example-secret",
    AWS_REGION: "us-east-1",
    HPX_SECRET_API: JSON.stringify({ token: CANARY }),
  };
});

const image = async (name: string) =>
  (await adminConfig().makeApiClient(AppsV1Api).readNamespacedDeployment({ name, namespace: NS })).spec?.template.spec?.containers[0]?.image;

test("plan on one machine with a summary, apply exactly that plan on another through S3; a stale plan is refused", async () => {
  const { plan, apply } = pipelineCommands();
  assert.deepEqual(plan, ["hpx preview processes.yml -s ci --save-plan hpx-plan.json --summary-md hpx-plan.md"]);
  const a = { ...machine("a"), GITHUB_STEP_SUMMARY: join(dir, "step-summary.md") };
  for (const line of plan) {
    const res = await sh(line, a);
    assert.equal(res.code, 0, `${line}\n${res.stderr}`);
  }
  const md = readFileSync(join(dir, "hpx-plan.md"), "utf8");
  assert.equal(
    md,
    "### hpx preview: stack `ci`\n\n| process | change | changed fields |\n|---|---|---|\n| `web` | create |  |\n| `worker` | create |  |\n\n2 to create, 0 to update, 0 to replace, 0 to delete\n",
  );
  assert.equal(readFileSync(join(dir, "step-summary.md"), "utf8"), `${md}\n`);
  const planText = readFileSync(join(dir, "hpx-plan.json"), "utf8");
  assert.equal(statSync(join(dir, "hpx-plan.json")).mode & 0o777, 0o600);
  for (const form of [CANARY, Buffer.from(CANARY).toString("base64")]) assert.ok(!planText.includes(form), `the plan holds the secret (${form})`);

  const b = machine("b");
  for (const line of apply) {
    const res = await sh(line, b);
    assert.equal(res.code, 0, `${line}\n${res.stderr}`);
  }
  assert.match(readFileSync(join(dir, "hpx-apply.md"), "utf8"), /^### hpx up: stack `ci`\n/);
  const ls = await sh("hpx ls -s ci -o json", b);
  assert.deepEqual(
    (JSON.parse(ls.stdout) as { process_name: string; status: string }[]).map((p) => [p.process_name, p.status]),
    [["web", "RUNNING"], ["worker", "RUNNING"]],
  );

  // A plan made on A, then B changes the stack: A's plan no longer applies.
  writeFileSync(join(dir, "next.yml"), readFileSync(join(dir, "processes.yml"), "utf8").replace("busybox:1.36", "busybox:1.37"));
  assert.equal((await sh("hpx preview next.yml -s ci --save-plan stale.json", a)).code, 0);
  writeFileSync(join(dir, "other.yml"), readFileSync(join(dir, "processes.yml"), "utf8").replace("nginxdemos/hello:0.4", "nginxdemos/hello:0.5"));
  assert.equal((await sh("hpx up other.yml -s ci --yes", b)).code, 0);
  const stale = await sh("hpx up --plan stale.json -s ci --yes", a);
  assert.equal(stale.code, 1, stale.stderr);
  assert.match(stale.stderr, /^hpx: plan stale\.json was made against another state of stack ci: the stack has changed since \d{4}-/);
  assert.equal(await image("worker"), "busybox:1.36", "nothing changed");
  assert.equal(await image("web"), "nginxdemos/hello:0.5");
});

/** Resolves when the stack's lock object appears in the bucket (an update has begun). */
async function lockTaken(timeoutMs = 60_000): Promise<void> {
  const s3 = new S3Client({ region: "us-east-1", endpoint: harnessEnv().motoUrl, forcePathStyle: true, credentials: { accessKeyId: "x", secretAccessKey: "x" } });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "ci/.pulumi/locks/" }));
    if ((listed.Contents ?? []).length > 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("no lock appeared");
}

const many = (n: number, image: string) =>
  "processes:\n" + Array.from({ length: n }, (_, i) => `  - process_name: w${i}\n    container: {image_uri: ${image}}\n`).join("");

test("two concurrent ups from two machines: the second is refused at once, naming the holder; with --lock-wait it waits and applies", async () => {
  const [a, b] = [machine("a"), machine("b")];
  writeFileSync(join(dir, "big.yml"), many(40, "busybox:1.36"));
  writeFileSync(join(dir, "big2.yml"), many(40, "busybox:1.37"));
  // The first update is paused (SIGSTOP of its process group) once it holds the lock, so
  // the second surely meets it, however fast this machine is.
  const first = start("hpx up big.yml -s ci --yes --no-wait", a);
  await lockTaken();
  process.kill(-first.pid, "SIGSTOP");
  const t0 = Date.now();
  const second = await sh("hpx up big2.yml -s ci --yes --no-wait", b);
  process.kill(-first.pid, "SIGCONT");
  assert.equal(second.code, 1, second.stderr);
  const lines = second.stderr.trimEnd().split("\n");
  assert.equal(lines[0], "hpx: stack ci is locked by another update");
  assert.match(lines[1]!, /^ {2}held by \S+@\S+ \(pid \d+, still running\) since \d{4}-/);
  assert.ok(Date.now() - t0 < 20_000, "refused at once, not after the other update");
  assert.equal((await first.done).code, 0);

  // The holder is paused (SIGSTOP of its process group) while it holds the lock, so the
  // waiting side surely meets it; it goes on once the waiter says it waits. It changes
  // something: an up with nothing to change starts no engine and takes no lock.
  writeFileSync(join(dir, "big3.yml"), many(40, "busybox:1.35"));
  const third = start("hpx up big3.yml -s ci --yes --no-wait", a);
  await lockTaken();
  process.kill(-third.pid, "SIGSTOP");
  const waiter = start("hpx up big2.yml -s ci --yes --no-wait --lock-wait 3m", b);
  for (let i = 0; i < 600 && !/waiting for it/.test(waiter.stderr()); i++) await new Promise((r) => setTimeout(r, 100));
  process.kill(-third.pid, "SIGCONT");
  assert.equal((await third.done).code, 0);
  const waited = await waiter.done;
  assert.equal(waited.code, 0, waited.stderr);
  assert.match(waited.stderr, /^stack ci is locked \(held by \S+@\S+ \(pid \d+, still running\) since .*\); waiting for it$/m);
  assert.equal(await image("w0"), "busybox:1.37");
  assert.equal((await sh("hpx destroy -s ci --yes", b)).code, 0);
});
