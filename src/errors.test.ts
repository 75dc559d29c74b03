import assert from "node:assert/strict";
import { test } from "vitest";
import { ExitCode, SpecError, UsageError, formatIssue } from "./errors.ts";

test("formatIssue names file, line, column and the dotted path", () => {
  assert.equal(
    formatIssue({ file: "p.yml", line: 3, col: 5, path: "processes.0.container", message: "required" }),
    "p.yml:3:5: processes.0.container: required",
  );
});

test("SpecError and UsageError exit with the usage code, 2", () => {
  const spec = new SpecError([{ file: "a", line: 1, col: 1, path: "", message: "bad" }]);
  assert.equal(spec.exitCode, ExitCode.usage);
  assert.equal(spec.message, "a:1:1: bad");
  assert.equal(new UsageError("x").exitCode, 2);
});
