import assert from "node:assert/strict";
import { test } from "vitest";
import { s3Backend } from "./s3-locks.ts";

test("s3Backend reads bucket, prefix and the gocloud query parameters", () => {
  assert.deepEqual(s3Backend("s3://state/teams/a/?region=eu-west-1&endpoint=http://127.0.0.1:5000&use_path_style=true"), {
    bucket: "state",
    prefix: "teams/a",
    region: "eu-west-1",
    endpoint: "http://127.0.0.1:5000",
    pathStyle: true,
  });
  assert.deepEqual(s3Backend("s3://state"), { bucket: "state", prefix: "", pathStyle: false });
  assert.equal(s3Backend("s3://b?s3ForcePathStyle=true").pathStyle, true);
});
