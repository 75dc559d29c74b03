import assert from "node:assert/strict";
import { test } from "vitest";
import { cliError } from "./engine-errors.ts";

test("the CLI's error line is read from stderr, else its first line, else the message", () => {
  const wrapped = (stderr: string) => new Error(`code: 255\n stdout: \n stderr: ${stderr}\n err?: Error: x`);
  assert.equal(cliError(wrapped("warning: a\nerror: the stack is currently locked by 1 lock(s)\n")), "the stack is currently locked by 1 lock(s)");
  assert.equal(cliError(wrapped("could not read checkpoint\nmore\n")), "could not read checkpoint");
  assert.equal(cliError(new Error("no such backend\nsecond line")), "no such backend");
  assert.equal(cliError("plain"), "plain");
});
