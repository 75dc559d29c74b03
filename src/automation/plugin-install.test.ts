import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { installPluginFile } from "./plugin-install.ts";

describe("installPluginFile", () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), "hpx-plugin-"));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("copies the binary where Pulumi looks for it, executable by its owner only, with no staging left", () => {
    const src = join(tmp(), "pulumi-resource-kubernetes");
    writeFileSync(src, "binary v1", { mode: 0o755 });
    const plugins = join(tmp(), "plugins");
    const installed = installPluginFile(plugins, "resource", "kubernetes", "4.24.1", src);
    expect(installed).toBe(join(plugins, "resource-kubernetes-v4.24.1", "pulumi-resource-kubernetes"));
    expect(readFileSync(installed, "utf8")).toBe("binary v1");
    expect(statSync(installed).mode & 0o777).toBe(0o700);
    expect(statSync(join(plugins, "resource-kubernetes-v4.24.1")).mode & 0o777).toBe(0o700);
    expect(readdirSync(plugins)).toEqual(["resource-kubernetes-v4.24.1"]);
  });

  it("leaves an installed plugin as it is", () => {
    const src = join(tmp(), "bin");
    writeFileSync(src, "first");
    const plugins = join(tmp(), "plugins");
    installPluginFile(plugins, "resource", "kubernetes", "4.24.1", src);
    writeFileSync(src, "second");
    const installed = installPluginFile(plugins, "resource", "kubernetes", "4.24.1", src);
    expect(readFileSync(installed, "utf8")).toBe("first");
  });

  it("refuses a plugin directory that holds no binary, and leaves no staging behind", () => {
    const src = join(tmp(), "bin");
    writeFileSync(src, "mine");
    const plugins = join(tmp(), "plugins");
    mkdirSync(join(plugins, "resource-kubernetes-v4.24.1"), { recursive: true });
    writeFileSync(join(plugins, "resource-kubernetes-v4.24.1", "other-file"), "");
    expect(() => installPluginFile(plugins, "resource", "kubernetes", "4.24.1", src)).toThrow(/^ENOTEMPTY: directory not empty, rename /);
    expect(readdirSync(plugins)).toEqual(["resource-kubernetes-v4.24.1"]);
  });

  it("names the missing source file", () => {
    const plugins = join(tmp(), "plugins");
    expect(() => installPluginFile(plugins, "resource", "kubernetes", "4.24.1", "/nonexistent/pulumi-resource-kubernetes")).toThrow(
      "ENOENT: no such file or directory, copyfile '/nonexistent/pulumi-resource-kubernetes'",
    );
    expect(readdirSync(plugins)).toEqual([]);
  });
});
