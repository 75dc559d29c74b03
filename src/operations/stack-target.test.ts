import assert from "node:assert/strict";
import { test } from "vitest";
import { SpecError } from "../errors.ts";
import { parseProcessSource } from "../spec/load-process-file.ts";
import { defaultLocalStackSettings } from "../spec/stack-settings.ts";
import { stackTarget } from "./stack-target.ts";

const TEXT = `processes:
  - process_name: web
    container:
      image_uri: nginx
  - process_name: api
    container:
      image_uri: nginx
      env:
        - name: TOKEN
          value: {secret_name: hpx-unit-missing-token}
`;

test("a secret the store lacks is located from the first parse's positions, before the cluster is reached", async () => {
  const source = parseProcessSource(TEXT, "fleet.yml");
  const settings = { ...defaultLocalStackSettings(), secret_store: { secret_store_type: "env" as const } };
  // The processes sorted otherwise than in the file: the location follows the name.
  const desired = { processes: [...source.processes].reverse() };
  await assert.rejects(stackTarget({ name: "dev", file: undefined, settings }, desired, { interactive: false, source }), (err: unknown) => {
    assert.ok(err instanceof SpecError);
    assert.deepEqual(err.issues, [
      { file: "fleet.yml", line: 10, col: 18, path: "processes.1.container.env.0.value", message: "secret hpx-unit-missing-token is not set: export HPX_SECRET_HPX_UNIT_MISSING_TOKEN" },
    ]);
    return true;
  });
});

test("without a source (a process from the stored state), the missing secret is a plain usage error", async () => {
  const source = parseProcessSource(TEXT, "fleet.yml");
  const settings = { ...defaultLocalStackSettings(), secret_store: { secret_store_type: "env" as const } };
  await assert.rejects(stackTarget({ name: "dev", file: undefined, settings }, { processes: source.processes }, { interactive: false }), {
    name: "MissingSecretError",
    message: "secret hpx-unit-missing-token is not set: export HPX_SECRET_HPX_UNIT_MISSING_TOKEN",
  });
});
