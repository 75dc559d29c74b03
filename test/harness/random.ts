/** A small seeded generator (mulberry32): fault moments that are random, and reproducible from their seed. */
export function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The seed of this run's fault moments: HPX_TEST_SEED, or today's UTC date (yyyymmdd).
 * The fault tests sample a few moments per run instead of repeating many: each day's
 * runs try other moments, a rerun on the same day tries the same ones, and a failure's
 * message gives the seed that reproduces it (HPX_TEST_SEED=… bash scripts/test.sh).
 */
export function faultSeed(): number {
  const given = process.env.HPX_TEST_SEED;
  if (given !== undefined) {
    const n = Number(given);
    if (!Number.isInteger(n)) throw new Error(`HPX_TEST_SEED: an integer, not ${given}`);
    return n;
  }
  return Number(new Date().toISOString().slice(0, 10).replaceAll("-", ""));
}
