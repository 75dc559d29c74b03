import assert from "node:assert/strict";
import { test } from "vitest";
import { renderTable } from "./table.ts";

test("renderTable pads every column but the last to its widest cell, two spaces apart, no trailing blanks", () => {
  const out = renderTable(
    ["NAME", "STATUS", "REASON"],
    [
      ["web", "RUNNING", ""],
      ["worker-long", "STARTING", "ImagePullBackOff: back-off"],
    ],
  );
  assert.equal(out, "NAME         STATUS    REASON\nweb          RUNNING\nworker-long  STARTING  ImagePullBackOff: back-off");
  assert.equal(renderTable(["A", "B"], []), "A  B");
});
