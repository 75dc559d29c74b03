/** Edit distance (insertions, deletions, substitutions), for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The hint for an unknown key: a field of a nested level written one level too high
 * (`node_selector` beside `container`), a shortened or near-misspelt allowed key.
 */
export function suggestKey(key: string, allowed: readonly string[], nested: Record<string, readonly string[]>): string | undefined {
  for (const [level, keys] of Object.entries(nested)) if (keys.includes(key)) return `${level}.${key}`;
  const normal = key.toLowerCase().replace(/[-\s]/g, "_");
  let best: { name: string; d: number } | undefined;
  for (const name of allowed) {
    // `cluster` for `cluster_name` is a shortened name, not a typo: count it as close.
    const shortened = name.startsWith(`${normal}_`) ? 1 : Infinity;
    const d = Math.min(shortened, editDistance(normal, name), editDistance(normal.replace(/_/g, ""), name.replace(/_/g, "")));
    if (d <= 2 && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}
