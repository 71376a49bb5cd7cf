// Weighted Kaplan–Meier on a histogram of whole days: parcels still in transit count as "not yet",
// so a slow lane is not made to look fast by its slowest parcels being missing.

/**
 * Share of parcels not yet delivered at the end of each bin. `delivered[k]` is the weight delivered
 * after k days; `censored[k]` the weight known to take at least k days (at risk through bin k).
 */
export function survivalCurve(delivered: readonly number[], censored?: readonly number[]): Float64Array {
  const bins = delivered.length;
  let atRisk = 0;
  for (let k = 0; k < bins; k++) atRisk += delivered[k]! + (censored?.[k] ?? 0);
  const survival = new Float64Array(bins);
  let surviving = 1;
  for (let k = 0; k < bins; k++) {
    const deliveries = delivered[k]!;
    if (atRisk > 0 && deliveries > 0) surviving *= Math.max(0, 1 - deliveries / atRisk);
    survival[k] = surviving;
    atRisk -= deliveries + (censored?.[k] ?? 0);
  }
  return survival;
}

// Float sums of decayed weights land a hair below an exact share such as 0.5.
const EPSILON = 1e-9;

/** The first bin by which at least `share` of parcels are delivered, or undefined when the curve never gets there. */
export function quantile(survival: Float64Array, share: number): number | undefined {
  for (let k = 0; k < survival.length; k++) {
    if (1 - survival[k]! >= share - EPSILON) return k;
  }
  return undefined;
}
