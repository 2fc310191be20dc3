/**
 * Exact Shapley attribution for the two shapes risk uses: a noisy-OR of independent pieces of
 * evidence, and a product of three factors measured from a reference point.
 */

/** `1 − Π(1 − x)` over the chosen terms. */
export function noisyOr(values: readonly number[]): number {
  let miss = 1;
  for (const x of values) miss *= 1 - x;
  return 1 - miss;
}

/**
 * Shapley values of the noisy-OR game v(S) = 1 − Π_{k∈S}(1 − x_k): each term's average marginal
 * gain over all orders in which the evidence could have arrived. They sum to `noisyOr(values)`.
 * Exact enumeration; scoring has at most four terms (16 coalitions).
 */
export function getNoisyOrShares(values: readonly number[]): number[] {
  const n = values.length;
  const weights = coalitionWeights(n);
  const shares = new Array<number>(n).fill(0);
  for (let mask = 0; mask < 1 << n; mask++) {
    const size = popcount(mask);
    const base = noisyOr(values.filter((_, k) => (mask >> k) & 1));
    for (let j = 0; j < n; j++) {
      if ((mask >> j) & 1) continue;
      const gain = (1 - base) * (values[j] ?? 0);
      shares[j] = (shares[j] ?? 0) + (weights[size] ?? 0) * gain;
    }
  }
  return shares;
}

/** |S|!(n−|S|−1)!/n! for each coalition size. */
function coalitionWeights(n: number): number[] {
  const fact = [1];
  for (let k = 1; k <= n; k++) fact.push((fact[k - 1] ?? 1) * k);
  return Array.from({ length: n }, (_, s) => ((fact[s] ?? 1) * (fact[n - s - 1] ?? 1)) / (fact[n] ?? 1));
}

function popcount(mask: number): number {
  let count = 0;
  for (let m = mask; m; m &= m - 1) count++;
  return count;
}

/**
 * Shapley attribution of `L·I·E` when each factor moves from its reference (0, I₀, E₀) to its value.
 * For three players φ_X = (X − X₀)·[(Y₀Z₀ + YZ)/3 + (YZ₀ + Y₀Z)/6]; this returns the bracket of
 * each factor (its value per unit of change), so that a term worth t on a factor's scale is credited
 * t × bracket. The φ sum to L·I·E because the reference product is 0 (reference likelihood 0).
 */
export function getProductRates(
  l: number,
  i: number,
  e: number,
  ref: { i: number; e: number },
): { l: number; i: number; e: number } {
  const rate = (y: number, z: number, y0: number, z0: number) =>
    (y0 * z0 + y * z) / 3 + (y * z0 + y0 * z) / 6;
  return { l: rate(i, e, ref.i, ref.e), i: rate(l, e, 0, ref.e), e: rate(l, i, 0, ref.i) };
}
