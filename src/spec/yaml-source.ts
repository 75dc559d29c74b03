import { CORE_SCHEMA, load } from "js-yaml";
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from "yaml";
import type { SpecIssue } from "../errors.ts";

/** A parsed YAML (or JSON) file that can say where any path of it was written. */
export interface YamlSource {
  file: string;
  data: unknown;
  /** 1-based line and column of the value at `path`, or of the nearest parent that exists. */
  locate(path: readonly (string | number)[]): { line: number; col: number };
  /** Position of the key `key` in the mapping at `path` (for unknown keys). */
  locateKey(path: readonly (string | number)[], key: string): { line: number; col: number };
  syntaxIssues: SpecIssue[];
}

function child(node: unknown, step: string | number): unknown {
  if (isMap(node)) return node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step))?.value;
  if (isSeq(node) && typeof step === "number") return node.items[step];
  return undefined;
}

export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, col: pos.col };
  };
  const nodeAt = (path: readonly (string | number)[]): Node | undefined => {
    let node: unknown = doc.contents;
    let last: Node | undefined = (doc.contents as Node | null) ?? undefined;
    for (const step of path) {
      node = child(node, step);
      if (node === undefined || node === null) break;
      last = node as Node;
    }
    return last;
  };
  const syntaxIssues: SpecIssue[] = doc.errors.map((e) => ({
    file,
    ...at(e.pos[0]),
    path: "",
    message: `invalid YAML: ${e.message.split("\n")[0]}`,
  }));
  let data: unknown;
  if (syntaxIssues.length === 0) {
    try {
      // The yaml library refuses to expand aliases past a limit (an "alias bomb").
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      syntaxIssues.push({ file, line: 1, col: 1, path: "", message: `invalid YAML: ${(err as Error).message}` });
    }
  }
  return {
    file,
    data,
    syntaxIssues,
    locate: (path) => at(nodeAt(path)?.range?.[0] ?? 0),
    locateKey: (path, key) => {
      const map = nodeAt(path);
      if (isMap(map)) {
        const pair = map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
        if (pair && isScalar(pair.key) && pair.key.range) return at(pair.key.range[0]);
      }
      return at(map?.range?.[0] ?? 0);
    },
  };
}

/**
 * What sends a file to `yaml` alone, by character, so a `&` inside a string also takes the
 * thorough path: anchors, aliases, tags, directives and tabs (`yaml`'s alias limit,
 * directives and refusals are what hpx relies on), and what js-yaml and `yaml` read apart,
 * found by yaml-source.test.ts's generated texts. Left to js-yaml: a comment line at
 * column 0 inside a flow collection that spans lines (`{k: a` / `# c` / `}`), which `yaml`
 * refuses and js-yaml reads as the same data without the comment.
 */
const YAML_ONLY = new RegExp(
  [
    // Anchors, aliases, tags, tabs; a byte order mark; Unicode's line and paragraph
    // separators (line ends to JavaScript's `$`, not to YAML).
    "[&*!\\t\\ufeff\\u2028\\u2029]",
    // A directive (`%YAML 1.1`), or an indented `%` (js-yaml skips the line).
    "^ *%",
    // A comment right after a quote, which `yaml` refuses.
    `["']#`,
    // A block scalar's explicit indentation or kept line ends (`>1`, `|+`).
    "[|>]([+-]?[1-9]|[1-9]?\\+)",
    // A document end; an indented `---` (js-yaml: a document start).
    "^ *\\.\\.\\.",
    "^ +---",
    // A sequence entry's quoted scalar or flow collection with more after it on its line
    // (`- 'q'x: 1`, `- {k: v}x: 1`: js-yaml reads the entry and a key `x` of the mapping above).
    `^ *(- +)+("([^"\\\\\\n]|\\\\.)*"|'([^'\\n]|'')*'(?!'))(?![ \\r]*$| +#|: |:\\r?$)`,
    "^ *(- +)+[[{].*[^\\]}, \\r\\n]\\r?$",
  ].join("|"),
  "m",
);

/**
 * The file's data read by js-yaml, its positions found by `yaml` only when asked; undefined
 * when the file needs `yaml` itself. `yaml` keeps every node's position but reads 5 to 15
 * times slower (3.0-3.5 s against 0.2-0.65 s for 5,000 processes on a busy machine,
 * docs/performance.md). Both read YAML 1.2's core schema alike (yaml-source.test.ts),
 * except that js-yaml accepts some text `yaml` refuses (so the caller uses this data only
 * when it is valid, and reads the file again with {@link parseYamlSource} for every
 * problem, which it then words exactly as before), names an empty or null key "null" where
 * `yaml` says "", and keeps a number too large for a double as its text where `yaml` says
 * Infinity (both left to `yaml`).
 */
export function quickYamlSource(text: string, file: string): YamlSource | undefined {
  if (YAML_ONLY.test(text)) return undefined;
  let data: unknown;
  try {
    data = load(text, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  // A document that is one scalar (or empty) is no processes file; the two libraries read
  // some of them apart (a document-level block scalar's indentation), so `yaml` says why.
  if (data === null || typeof data !== "object" || readsApart(data)) return undefined;
  let located: YamlSource | undefined;
  const full = () => (located ??= parseYamlSource(text, file));
  return { file, data, syntaxIssues: [], locate: (path) => full().locate(path), locateKey: (path, key) => full().locateKey(path, key) };
}

/** A number too large for a double, which js-yaml keeps as its text and `yaml` reads as Infinity. */
const OVERFLOWING_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)[eE][-+]?[0-9]+$/;

const overflows = (text: string): boolean => OVERFLOWING_FLOAT.test(text) && !Number.isFinite(Number(text));

/** Whether js-yaml's data may differ from `yaml`'s: an empty or null key, or an overflowing number (a key or a value). */
function readsApart(value: unknown): boolean {
  if (typeof value === "string") return overflows(value);
  if (Array.isArray(value)) return value.some(readsApart);
  if (value === null || typeof value !== "object") return false;
  return Object.entries(value).some(([key, v]) => key === "null" || overflows(key) || readsApart(v));
}
