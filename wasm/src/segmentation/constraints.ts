/**
 * Segment constraints while editing: THE one rule every tool goes through (docs/segmentation.md).
 *
 * A tool never writes labels itself. It proposes candidate voxels with an operation (paint or erase a segment); the
 * rule below decides, from the voxel's current label alone, what the voxel becomes. The rule is tabulated once per
 * edit into a 256-entry lookup table (current label -> new label, and the reason when the voxel is left unchanged),
 * so every tool applies exactly the same constraint at the same cost.
 *
 * Segments (role labelmap, wasm/src/segments/roles.ts): liver = {1, 2, 10+}, FLR = {2}, tumour t = {10 + t}.
 *
 *  paint liver      0 -> 1. Voxels already in the liver (1, 2, tumours) keep their label.
 *  paint tumour t   0 -> 10+t (the voxel also joins the liver: counted `addedToLiver`),
 *                   1 -> 10+t, 2 -> 10+t (the FLR is tumour-free: the voxel leaves the FLR, counted `removedFromFlr`).
 *                   Another tumour's voxel is not taken (counted `blockedOtherTumour`).
 *  paint FLR        1 -> 2 only. Background (outside the liver) is clipped (`clippedOutsideLiver`), tumour voxels are
 *                   clipped (`clippedTumour`): the FLR stays inside the liver and tumour-free.
 *  erase liver      1 -> 0, 2 -> 0. Tumour voxels are kept (erase the tumour first), counted `keptTumour`.
 *  erase tumour t   10+t -> 1: the voxel stays liver (a tumour lies inside the liver); erase liver to remove it.
 *  erase FLR        2 -> 1: the voxel stays liver, outside the FLR.
 *  locks            a locked segment's label is never changed and never written: voxels holding it are skipped, and a
 *                   rule that would write it is dropped (counted `blockedLocked`). Lock keys: 'liver' locks label 1,
 *                   'flr' locks label 2, 'tumour:t' locks 10+t. Locking 'liver' therefore also stops tumour and FLR
 *                   painting over liver parenchyma (they would change label-1 voxels).
 *  reserved labels  3..9 are never written and voxels holding them are never changed.
 */
import { LABEL_BACKGROUND, LABEL_FLR, LABEL_LIVER_NON_FLR, LABEL_TUMOUR_BASE, MAX_TUMOURS, isReservedLabel, isTumourLabel, tumourLabel } from '../segments/roles.ts';

/** The segment a tool edits. */
export type SegmentRef = { role: 'liver' } | { role: 'flr' } | { role: 'tumour'; tumourIndex: number };
export type EditOp = 'paint' | 'erase';

/** Key of a segment for locks and history: 'liver', 'flr', 'tumour:0', ... */
export type SegmentKey = string;

export function segmentKey(segment: SegmentRef): SegmentKey {
  return segment.role === 'tumour' ? `tumour:${segment.tumourIndex}` : segment.role;
}

export function parseSegmentKey(key: string): SegmentRef {
  if (key === 'liver') return { role: 'liver' };
  if (key === 'flr') return { role: 'flr' };
  const m = /^tumour:(\d+)$/.exec(key);
  if (m) {
    const t = Number(m[1]);
    tumourLabel(t);
    return { role: 'tumour', tumourIndex: t };
  }
  throw new Error(`unknown segment "${key}": expected "liver", "flr" or "tumour:<t>" (t = 0..${MAX_TUMOURS - 1})`);
}

/** The label a segment's lock protects (liver -> 1, FLR -> 2, tumour t -> 10+t). */
export function lockedLabelOf(segment: SegmentRef): number {
  if (segment.role === 'liver') return LABEL_LIVER_NON_FLR;
  if (segment.role === 'flr') return LABEL_FLR;
  return tumourLabel(segment.tumourIndex);
}

/** Why a candidate voxel kept its label (0 = it changed or already had the wanted label). */
export const REASON_NONE = 0;
export const REASON_UNCHANGED = 1;
export const REASON_CLIPPED_OUTSIDE_LIVER = 2;
export const REASON_CLIPPED_TUMOUR = 3;
export const REASON_BLOCKED_LOCKED = 4;
export const REASON_BLOCKED_OTHER_TUMOUR = 5;
export const REASON_KEPT_TUMOUR = 6;
export const REASON_RESERVED = 7;

/** Counts of what the constraint did to the candidate voxels of one edit. */
export interface ConstraintReport {
  /** Candidate voxels looked at (a voxel proposed twice counts once). */
  candidates: number;
  /** Voxels whose label changed. */
  changed: number;
  /** Tumour painted on background: the voxel joined the liver. */
  addedToLiver: number;
  /** Tumour painted on FLR: the voxel left the FLR. */
  removedFromFlr: number;
  clippedOutsideLiver: number;
  clippedTumour: number;
  blockedLocked: number;
  blockedOtherTumour: number;
  keptTumour: number;
  blockedReserved: number;
}

export function emptyReport(): ConstraintReport {
  return {
    candidates: 0,
    changed: 0,
    addedToLiver: 0,
    removedFromFlr: 0,
    clippedOutsideLiver: 0,
    clippedTumour: 0,
    blockedLocked: 0,
    blockedOtherTumour: 0,
    keptTumour: 0,
    blockedReserved: 0,
  };
}

/** Set of locked segments as a 256-entry flag table over labels. */
export function lockTable(locked: Iterable<SegmentKey>): Uint8Array {
  const table = new Uint8Array(256);
  for (const key of locked) table[lockedLabelOf(parseSegmentKey(key))] = 1;
  return table;
}

/**
 * The constraint rule for one voxel: what `current` becomes when `op` is applied for `segment`, and why it stays when
 * it does. `lockedLabels[l] = 1` marks locked labels.
 */
export function constrainVoxel(current: number, segment: SegmentRef, op: EditOp, lockedLabels: Uint8Array): { label: number; reason: number } {
  const keep = (reason: number): { label: number; reason: number } => ({ label: current, reason });
  if (isReservedLabel(current)) return keep(REASON_RESERVED);
  let next = current;
  if (segment.role === 'liver') {
    if (op === 'paint') {
      if (current === LABEL_BACKGROUND) next = LABEL_LIVER_NON_FLR;
    } else if (current === LABEL_LIVER_NON_FLR || current === LABEL_FLR) next = LABEL_BACKGROUND;
    else if (isTumourLabel(current)) return keep(REASON_KEPT_TUMOUR);
  } else if (segment.role === 'flr') {
    if (op === 'paint') {
      if (current === LABEL_LIVER_NON_FLR) next = LABEL_FLR;
      else if (current === LABEL_BACKGROUND) return keep(REASON_CLIPPED_OUTSIDE_LIVER);
      else if (isTumourLabel(current)) return keep(REASON_CLIPPED_TUMOUR);
    } else if (current === LABEL_FLR) next = LABEL_LIVER_NON_FLR;
  } else {
    const own = tumourLabel(segment.tumourIndex);
    if (op === 'paint') {
      if (current === LABEL_BACKGROUND || current === LABEL_LIVER_NON_FLR || current === LABEL_FLR) next = own;
      else if (isTumourLabel(current) && current !== own) return keep(REASON_BLOCKED_OTHER_TUMOUR);
    } else if (current === own) next = LABEL_LIVER_NON_FLR;
  }
  if (next === current) return keep(REASON_UNCHANGED);
  if (lockedLabels[current] === 1 || lockedLabels[next] === 1) return keep(REASON_BLOCKED_LOCKED);
  return { label: next, reason: REASON_NONE };
}

/** The rule tabulated for one edit: next[current] and reason[current]. */
export interface WriteTable {
  segment: SegmentRef;
  op: EditOp;
  next: Uint8Array;
  reason: Uint8Array;
}

export function buildWriteTable(segment: SegmentRef, op: EditOp, lockedLabels: Uint8Array): WriteTable {
  if (segment.role === 'tumour') tumourLabel(segment.tumourIndex);
  const next = new Uint8Array(256);
  const reason = new Uint8Array(256);
  for (let l = 0; l < 256; l++) {
    const r = constrainVoxel(l, segment, op, lockedLabels);
    next[l] = r.label;
    reason[l] = r.reason;
  }
  return { segment, op, next, reason };
}

/** Adds one candidate voxel's outcome (current label `from`) to a report. */
export function countOutcome(report: ConstraintReport, table: WriteTable, from: number): void {
  report.candidates++;
  const to = table.next[from] as number;
  if (to !== from) {
    report.changed++;
    if (table.segment.role === 'tumour') {
      if (from === LABEL_BACKGROUND) report.addedToLiver++;
      else if (from === LABEL_FLR) report.removedFromFlr++;
    }
    return;
  }
  switch (table.reason[from]) {
    case REASON_CLIPPED_OUTSIDE_LIVER:
      report.clippedOutsideLiver++;
      break;
    case REASON_CLIPPED_TUMOUR:
      report.clippedTumour++;
      break;
    case REASON_BLOCKED_LOCKED:
      report.blockedLocked++;
      break;
    case REASON_BLOCKED_OTHER_TUMOUR:
      report.blockedOtherTumour++;
      break;
    case REASON_KEPT_TUMOUR:
      report.keptTumour++;
      break;
    case REASON_RESERVED:
      report.blockedReserved++;
      break;
    default:
      break;
  }
}

/** Membership of a voxel label in a segment (liver = {1, 2, 10+}, FLR = {2}, tumour t = {10+t}). */
export function segmentMembership(segment: SegmentRef): Uint8Array {
  const table = new Uint8Array(256);
  if (segment.role === 'liver') {
    table[LABEL_LIVER_NON_FLR] = 1;
    table[LABEL_FLR] = 1;
    for (let l = LABEL_TUMOUR_BASE; l < 256; l++) table[l] = 1;
  } else if (segment.role === 'flr') table[LABEL_FLR] = 1;
  else table[tumourLabel(segment.tumourIndex)] = 1;
  return table;
}
