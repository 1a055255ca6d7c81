/**
 * Threshold-safe rounding: the one rounding rule for every number shown or exported next to a threshold or a verdict
 * (sFLR / FLR/TLV / FLR/BW against the sufficiency threshold, KGR against its cut-off, mebrofenin against its
 * threshold), in the PDF, the CLI text, the app preview and the EDC CSV/JSON (docs/measurement-json.md, "Rounding").
 *
 * The value is rounded half away from zero to the display precision, unless that would put the shown value on the
 * other side of the threshold than the unrounded value. Then it is rounded toward the verdict's side instead (down
 * for a value that fails the criterion, up for one that meets it), so that re-deriving the verdict from the shown
 * numbers always gives the verdict of the unrounded value:
 *
 *   29.996 vs 30 (criterion >=):  "29.99" at 2 decimals, "29.9" at 1 decimal   (plain rounding would give 30.00 / 30.0)
 *   1.9987 vs 2  (criterion >=):  "1.99"                                         (KGR below the cut-off)
 *   2.6700001 vs 2.67 (criterion >): "2.68"                                      (mebrofenin exceeds the threshold)
 */

/** How a value meets its criterion: '>=' (sFLR >= 30 %, KGR >= cut-off) or '>' (mebrofenin > 2.67, "exceeds"). */
export type ThresholdCriterion = '>=' | '>';

export function meetsCriterion(value: number, threshold: number, criterion: ThresholdCriterion): boolean {
  return criterion === '>' ? value > threshold : value >= threshold;
}

/** value x 10^decimals computed on the shortest decimal text of the double (so 1.005 x 100 is 100.5, not 100.49999). */
function shifted(value: number, decimals: number): number {
  const [mantissa, exp] = String(value).split('e') as [string, string | undefined];
  return Number(`${mantissa}e${Number(exp ?? 0) + decimals}`);
}

function unshift(integer: number, decimals: number): number {
  const r = Number(`${integer}e-${decimals}`);
  return r === 0 ? 0 : r; // no -0
}

function checkDecimals(decimals: number): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 12) throw new Error(`decimals must be an integer 0..12, got ${decimals}`);
}

/** Rounds half away from zero at `decimals` places on the shortest decimal text of the double (1.005 -> 1.01). */
export function roundHalfAwayFromZero(value: number, decimals: number): number {
  if (!Number.isFinite(value)) throw new Error(`cannot round ${value}`);
  checkDecimals(decimals);
  const s = shifted(Math.abs(value), decimals);
  const r = unshift(Math.round(s), decimals);
  return value < 0 && r !== 0 ? -r : r;
}

/**
 * `value` rounded to `decimals` places such that the rounded number meets `criterion` against `threshold` exactly
 * when the unrounded value does. Plain half-away-from-zero rounding whenever that already holds.
 */
export function roundAgainstThreshold(value: number, decimals: number, threshold: number, criterion: ThresholdCriterion = '>='): number {
  if (!Number.isFinite(threshold)) throw new Error(`threshold must be a finite number, got ${threshold}`);
  const plain = roundHalfAwayFromZero(value, decimals);
  const meets = meetsCriterion(value, threshold, criterion);
  if (meetsCriterion(plain, threshold, criterion) === meets) return plain;
  // Directed rounding toward the verdict's side: up (ceil) keeps a meeting value >= value, down (floor) keeps a
  // failing value <= value; both stay within one unit of the last place.
  const s = shifted(value, decimals);
  return unshift(meets ? Math.ceil(s) : Math.floor(s), decimals);
}

/** Fixed-decimal text of roundAgainstThreshold ("-0.00" never appears). */
export function formatAgainstThreshold(value: number, decimals: number, threshold: number, criterion: ThresholdCriterion = '>='): string {
  return roundAgainstThreshold(value, decimals, threshold, criterion).toFixed(decimals);
}
