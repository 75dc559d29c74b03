import assert from "node:assert/strict";
import { test } from "vitest";
import { editDistance, suggestKey } from "./suggest.ts";

test("editDistance", () => {
  assert.equal(editDistance("proces_name", "process_name"), 1);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("same", "same"), 0);
});

test("suggestKey: a nested field one level too high, a near misspelling, or nothing", () => {
  const nested = { container: ["image_uri", "node_selector"] };
  assert.equal(suggestKey("node_selector", ["process_name"], nested), "container.node_selector");
  assert.equal(suggestKey("has_public_ips", ["has_public_ip", "group"], {}), "has_public_ip");
  assert.equal(suggestKey("imageuri", ["image_uri"], {}), "image_uri");
  assert.equal(suggestKey("cluster", ["cluster_name", "region"], {}), "cluster_name");
  assert.equal(suggestKey("zzz", ["image_uri"], {}), undefined);
});
