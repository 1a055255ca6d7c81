/**
 * Segment semantics, defined once (see docs/segment-semantics.md).
 *
 *  - Liver: the whole liver, tumours included.
 *  - Tumours: one or more lesions inside the liver.
 *  - FLR (future liver remnant): liver tissue, tumour-free, contained in the liver.
 *  - TLV measured: liver minus tumours.
 *
 * They are stored as one exclusive "role labelmap" (Uint8Array on the series grid, voxel order i fastest):
 *   0        background
 *   1        liver parenchyma outside the FLR
 *   2        FLR
 *   3..9     reserved (never written; a role labelmap holding them is rejected)
 *   10 + t   tumour t (t = 0 .. MAX_TUMOURS - 1)
 * Hence liver = {1, 2, 10+}, TLV measured = {1, 2}, FLR = {2}, tumours = {10+}.
 */
export const LABEL_BACKGROUND = 0;
export const LABEL_LIVER_NON_FLR = 1;
export const LABEL_FLR = 2;
export const LABEL_TUMOUR_BASE = 10;
/** Largest label a Uint8Array can hold is 255, so tumours t = 0..245. */
export const MAX_TUMOURS = 256 - LABEL_TUMOUR_BASE;

export type LabelRole = 'background' | 'liver-non-flr' | 'flr' | 'tumour' | 'reserved';

/** Role labelmap value for tumour t (0-based). */
export function tumourLabel(tumourIndex: number): number {
  if (!Number.isInteger(tumourIndex) || tumourIndex < 0 || tumourIndex >= MAX_TUMOURS) {
    throw new Error(`tumourIndex must be an integer in 0..${MAX_TUMOURS - 1}, got ${tumourIndex}`);
  }
  return LABEL_TUMOUR_BASE + tumourIndex;
}

/** Tumour index t of a role label, or -1 when the label is not a tumour. */
export function tumourIndexOfLabel(label: number): number {
  return isTumourLabel(label) ? label - LABEL_TUMOUR_BASE : -1;
}

function isByte(label: number): boolean {
  return Number.isInteger(label) && label >= 0 && label <= 255;
}

export function isTumourLabel(label: number): boolean {
  return isByte(label) && label >= LABEL_TUMOUR_BASE;
}

export function isFlrLabel(label: number): boolean {
  return label === LABEL_FLR;
}

/** TLV measured = liver minus tumours = {1, 2}. */
export function isTlvMeasuredLabel(label: number): boolean {
  return label === LABEL_LIVER_NON_FLR || label === LABEL_FLR;
}

/** Liver (tumours included) = {1, 2, 10+}. */
export function isLiverLabel(label: number): boolean {
  return isTlvMeasuredLabel(label) || isTumourLabel(label);
}

export function isReservedLabel(label: number): boolean {
  return isByte(label) && label > LABEL_FLR && label < LABEL_TUMOUR_BASE;
}

export function roleOfLabel(label: number): LabelRole {
  if (!isByte(label)) throw new Error(`role label must be an integer in 0..255, got ${label}`);
  if (label === LABEL_BACKGROUND) return 'background';
  if (label === LABEL_LIVER_NON_FLR) return 'liver-non-flr';
  if (label === LABEL_FLR) return 'flr';
  if (isTumourLabel(label)) return 'tumour';
  return 'reserved';
}

/** Human name of a role label: "background", "liver (non-FLR)", "FLR", "tumour 1" (1-based for people). */
export function describeLabel(label: number): string {
  const role = roleOfLabel(label);
  switch (role) {
    case 'background':
      return 'background';
    case 'liver-non-flr':
      return 'liver (non-FLR)';
    case 'flr':
      return 'FLR';
    case 'tumour':
      return `tumour ${tumourIndexOfLabel(label) + 1}`;
    case 'reserved':
      return `reserved label ${label}`;
  }
}
