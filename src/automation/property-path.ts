/**
 * Pulumi's property paths, as the engine writes them in a step's detailed diff:
 * `spec.template.spec.containers[0].image`, `metadata.annotations["hpx.dev/applied"]`.
 */
export type PathSegment = string | number;

/** The segments of a property path; throws on a path the engine would not write. */
export function parsePropertyPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === "[") {
      const close = path[i + 1] === '"' ? closingQuote(path, i + 1) + 1 : path.indexOf("]", i);
      if (close < 0 || path[close] !== "]") throw new Error(`not a property path: ${path}`);
      const inner = path.slice(i + 1, close);
      segments.push(inner.startsWith('"') ? (JSON.parse(inner) as string) : index(inner, path));
      i = close + 1;
    } else {
      if (path[i] === ".") i++;
      let end = i;
      while (end < path.length && path[end] !== "." && path[end] !== "[") end++;
      if (end === i) throw new Error(`not a property path: ${path}`);
      segments.push(path.slice(i, end));
      i = end;
    }
  }
  return segments;
}

function closingQuote(path: string, open: number): number {
  for (let i = open + 1; i < path.length; i++) {
    if (path[i] === "\\") i++;
    else if (path[i] === '"') return i;
  }
  throw new Error(`not a property path: ${path}`);
}

function index(text: string, path: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`not a property path: ${path}`);
  return Number(text);
}

/** What sits at `segments` in `value`, and every value on the way there (the root first). */
export function walk(value: unknown, segments: readonly PathSegment[]): { found: boolean; value: unknown; passed: unknown[] } {
  const passed: unknown[] = [];
  let at = value;
  for (const s of segments) {
    passed.push(at);
    if (at === null || typeof at !== "object" || !Object.hasOwn(at, s)) return { found: false, value: undefined, passed };
    at = (at as Record<string | number, unknown>)[s];
  }
  return { found: true, value: at, passed };
}
