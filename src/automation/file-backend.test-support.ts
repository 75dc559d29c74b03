/** A file backend in a temporary directory, with HPX_HOME beside it, for each test of a file. */
import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";

export interface TempFileBackend {
  /** The backend's `file://` URL (a new directory for each test). */
  url(): string;
  /** Writes a stack's checkpoint as the DIY backend does: to a temporary name, renamed in. */
  writeCheckpoint(stack: string, outputs?: Record<string, unknown>): void;
}

export function tempFileBackend(): TempFileBackend {
  let dir = "";
  let home: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "hpx-file-backend-"));
    home = process.env.HPX_HOME;
    process.env.HPX_HOME = join(dir, "home");
  });
  afterEach(() => {
    if (home === undefined) delete process.env.HPX_HOME;
    else process.env.HPX_HOME = home;
  });
  return {
    url: () => `file://${join(dir, "state")}`,
    writeCheckpoint: (stack, outputs = {}) => {
      const stacks = join(dir, "state", ".pulumi", "stacks", "hpx");
      mkdirSync(stacks, { recursive: true });
      const latest = { resources: [{ urn: `urn:pulumi:${stack}::hpx::pulumi:pulumi:Stack::hpx-${stack}`, type: "pulumi:pulumi:Stack", outputs }] };
      writeFileSync(join(stacks, `${stack}.json.tmp`), JSON.stringify({ version: 3, checkpoint: { stack, latest } }));
      renameSync(join(stacks, `${stack}.json.tmp`), join(stacks, `${stack}.json`));
    },
  };
}
