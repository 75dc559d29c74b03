import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "vitest";

/** The layers, front doors first: a folder may import its own layer and those after it, never one before (README: source map). */
const LAYERS: string[][] = [["cli", "serve"], ["operations"], ["automation", "cluster", "aws", "secrets"], ["components"], ["spec"]];
const SRC = import.meta.dirname;

/** Every non-test source file under src/ and the files it imports (static or dynamic), as paths relative to src/. */
function importGraph(): Map<string, string[]> {
  const files = (readdirSync(SRC, { recursive: true }) as string[]).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".test-support.ts"));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(join(SRC, file), "utf8");
    const targets = [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map((m) => relative(SRC, resolve(SRC, dirname(file), m[1]!)));
    graph.set(file, targets);
  }
  return graph;
}

const layerOf = (file: string): number => {
  const folder = file.includes("/") ? file.slice(0, file.indexOf("/")) : "";
  return LAYERS.findIndex((l) => l.includes(folder));
};

test("imports go one way: front doors -> operations -> adapters -> components -> spec; cli/ and serve/ never import automation/", () => {
  const wrong: string[] = [];
  for (const [file, targets] of importGraph()) {
    const from = layerOf(file);
    for (const t of targets) {
      const to = layerOf(t);
      if (from >= 0 && to >= 0 && to < from) wrong.push(`${file} -> ${t}`);
      if (/^(cli|serve)\//.test(file) && t.startsWith("automation/")) wrong.push(`${file} -> ${t}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test("no source file imports a file that imports it back, directly or through others", () => {
  const graph = importGraph();
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      cycles.push([...path.slice(path.indexOf(file)), file].join(" -> "));
      return;
    }
    state.set(file, "open");
    for (const t of graph.get(file) ?? []) if (graph.has(t)) visit(t, [...path, file]);
    state.set(file, "done");
  };
  for (const file of graph.keys()) visit(file, []);
  assert.deepEqual(cycles, []);
});
