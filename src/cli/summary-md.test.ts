import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "vitest";
import { summaryMarkdown, writeSummary } from "./summary-md.ts";

test("one row per changed process, fields escaped, counts, and what is not ready", () => {
  const md = summaryMarkdown(
    "hpx up: stack `ci`",
    [
      { process: "api", change: "same", fields: {} },
      { process: "web", change: "create", fields: {} },
      { process: "batch", change: "update", fields: { "Deployment batch": ["spec.template.spec.containers[0].image", "a|b"] } },
    ],
    [{ process: "web", ready: false, reason: "crash loop: restarted 3 time(s)" }],
  );
  assert.equal(
    md,
    [
      "### hpx up: stack `ci`",
      "",
      "| process | change | changed fields |",
      "|---|---|---|",
      "| `web` | create |  |",
      "| `batch` | update | Deployment batch: spec.template.spec.containers[0].image, a\\|b |",
      "",
      "1 to create, 1 to update, 0 to replace, 0 to delete",
      "",
      "**Not ready:**",
      "",
      "- `web`: crash loop: restarted 3 time(s)",
      "",
    ].join("\n"),
  );
  assert.equal(summaryMarkdown("t", [{ process: "a", change: "same", fields: {} }]), "### t\n\nNo changes.\n");
});

test("written to the file and appended to GITHUB_STEP_SUMMARY", () => {
  const dir = mkdtempSync(join(tmpdir(), "hpx-md-"));
  writeFileSync(join(dir, "step.md"), "earlier\n");
  writeSummary("### x\n", join(dir, "out.md"), { GITHUB_STEP_SUMMARY: join(dir, "step.md") });
  assert.equal(readFileSync(join(dir, "out.md"), "utf8"), "### x\n");
  assert.equal(readFileSync(join(dir, "step.md"), "utf8"), "earlier\n### x\n\n");
});

test("with --diff's values, each field shows its old and new value; a secret's stays hidden", () => {
  const md = summaryMarkdown("hpx preview: stack `dev`", [
    {
      process: "web",
      change: "update",
      fields: { "Deployment web": ["spec.x"], "Secret web-env": ["data.K"] },
      values: { "Deployment web": { "spec.x": { kind: "update", old: "a|b", new: "c" } }, "Secret web-env": { "data.K": { kind: "update", secret: true } } },
    },
  ]);
  assert.equal(md.split("\n")[4], '| `web` | update | Deployment web: ~ spec.x: "a\\|b" => "c"; Secret web-env: ~ data.K: (secret value changed; value hidden) |');
});
