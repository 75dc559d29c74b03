import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "vitest";
import { repoRoot } from "../src/toolchain.ts";
import { project } from "./harness/project.ts";

/** Sources `hpx completion bash` in a real bash and asks it to complete `line`. */
function bashComplete(line: string[], cwd: string): string[] {
  const script = [
    "source <(hpx completion bash)",
    `COMP_WORDS=(hpx ${line.map((w) => `'${w}'`).join(" ")})`,
    `COMP_CWORD=${line.length}`,
    "_hpx",
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join("\n");
  const res = spawnSync("bash", ["-c", script], { cwd, encoding: "utf8", env: { ...process.env, PATH: `${join(repoRoot, "bin")}:${process.env.PATH}` } });
  assert.equal(res.status, 0, res.stderr);
  return res.stdout.split("\n").filter((l) => l !== "");
}

test("the bash completion script loads and completes commands, flags, stacks and the last update's process names", async () => {
  const p = await project("completion");
  assert.deepEqual(bashComplete(["st"], p.dir), ["start", "stop"]);
  assert.deepEqual(bashComplete(["preview", "--exp"], p.dir), ["--expect-no-changes"]);
  assert.deepEqual(bashComplete(["ls", "-s", ""], p.dir), ["completion", "local"]);
  p.write("two.yml", "- {process_name: alpha, container: {image_uri: x}}\n- {process_name: beta, container: {image_uri: x}}\n");
  assert.equal((await p.hpx(["up", "two.yml", "--yes", "--no-wait"])).code, 0);
  assert.deepEqual(bashComplete(["stop", "-s", "completion", ""], p.dir), ["alpha", "beta"]);
  assert.equal((await p.hpx(["destroy", "--yes"])).code, 0);
});
