import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "vitest";
import { ClusterError } from "../errors.ts";
import { localAccess } from "./cluster-access.ts";

test("localAccess: no kubeconfig, or the empty one hpx local down leaves, is a stopped cluster with the fix", () => {
  const home = mkdtempSync(join(tmpdir(), "hpx-access-"));
  try {
    const stopped = new ClusterError("the local simulated cluster is not running", undefined, ["start it: hpx local up"]);
    assert.throws(() => localAccess("default", home), stopped);
    mkdirSync(join(home, "local"));
    writeFileSync(join(home, "local", "kubeconfig"), 'apiVersion: v1\nclusters: null\ncontexts: null\ncurrent-context: ""\nkind: Config\nusers: null\n');
    assert.throws(() => localAccess("default", home), stopped);
  } finally {
    rmSync(home, { recursive: true });
  }
});
