import assert from "node:assert/strict";
import { test } from "vitest";
import { complete } from "./complete.ts";
import { buildProgram } from "./program.ts";

const sources = { stacks: () => ["eks", "local", "prod"], processes: (stack: string) => (stack === "prod" ? ["api", "web"] : ["batch"]) };
const c = (...words: string[]) => complete(buildProgram(), words, sources);

test("commands, then each command's flags", () => {
  assert.deepEqual(c("st"), ["start", "stop"]);
  assert.ok(c("").includes("completion") && !c("").includes("__complete"), "the helper command stays hidden");
  assert.deepEqual(c("up", "--ti"), ["--timeout"]);
  assert.deepEqual(c("local", ""), ["down", "status", "up"]);
});

test("flag values: stack names, output formats", () => {
  assert.deepEqual(c("up", "-s", ""), ["eks", "local", "prod"]);
  assert.deepEqual(c("ls", "--stack", "p"), ["prod"]);
  assert.deepEqual(c("ls", "-o", ""), ["json", "table", "wide"]);
});

test("process names from the stack's last update, for stop and logs", () => {
  assert.deepEqual(c("stop", ""), ["batch"]);
  assert.deepEqual(c("stop", "-s", "prod", ""), ["api", "web"]);
  assert.deepEqual(c("stop", "-s", "prod", "w"), ["web"]);
  assert.deepEqual(c("stop", "web", ""), []);
  assert.deepEqual(c("logs", "-s", "prod", "a"), ["api"]);
  assert.deepEqual(c("logs", "-f", "--ta"), ["--tail"]);
});
