/**
 * A small seeded pseudo-random generator (mulberry32): fast, 32-bit state, good enough for row and
 * column subsampling, and the same sequence on every platform, so training is reproducible.
 */
export type Random = () => number;

/** Returns a generator of floats in [0, 1) determined by `seed`. */
export function makeRandom(seed: number): Random {
  let state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks `k` distinct indices of `0..n-1` (partial Fisher–Yates), returned in ascending order. */
export function sampleIndices(n: number, k: number, random: Random): Int32Array {
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const take = Math.min(k, n);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (n - i));
    const t = all[i]!;
    all[i] = all[j]!;
    all[j] = t;
  }
  return all.slice(0, take).sort();
}
