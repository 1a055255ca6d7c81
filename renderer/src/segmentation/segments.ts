/**
 * The segments panel model: Liver, Tumour 1..n and FLR over the role labelmap (docs/segment-semantics.md: 1 liver
 * outside the FLR, 2 FLR, 10+t tumour t). Pure: names, colours, visibility, lock and the active segment; the labels
 * each segment is drawn with; the engine's segment keys ('liver', 'flr', 'tumour:t').
 */
import { LABEL_FLR, LABEL_LIVER_NON_FLR, MAX_TUMOURS, tumourLabel } from '../../../wasm/src/segments/roles.ts';
import type { SegmentRef } from '../../../wasm/src/segmentation/constraints.ts';

export type Rgb = [number, number, number];

export interface SegmentItem {
  /** Engine segment key: 'liver', 'flr' or 'tumour:<t>'. */
  key: string;
  name: string;
  color: Rgb;
  visible: boolean;
  locked: boolean;
}

export const LIVER_COLOR: Rgb = [221, 130, 101];
export const FLR_COLOR: Rgb = [80, 200, 120];
const TUMOUR_COLORS: Rgb[] = [
  [230, 220, 70],
  [120, 140, 255],
  [240, 100, 210],
  [90, 220, 230],
  [255, 160, 40],
  [170, 110, 240],
];

export function tumourColor(t: number): Rgb {
  return TUMOUR_COLORS[t % TUMOUR_COLORS.length] as Rgb;
}

export function defaultSegments(): SegmentItem[] {
  return [
    { key: 'liver', name: 'Liver', color: LIVER_COLOR, visible: true, locked: false },
    { key: 'flr', name: 'FLR', color: FLR_COLOR, visible: true, locked: false },
  ];
}

export function segmentRefOf(key: string): SegmentRef {
  if (key === 'liver') return { role: 'liver' };
  if (key === 'flr') return { role: 'flr' };
  const m = /^tumour:(\d+)$/.exec(key);
  if (!m) throw new Error(`unknown segment "${key}"`);
  return { role: 'tumour', tumourIndex: Number(m[1]) };
}

export function tumourIndexOf(key: string): number | null {
  const m = /^tumour:(\d+)$/.exec(key);
  return m ? Number(m[1]) : null;
}

/** Labels drawn in a segment's colour: the liver shows its parenchyma outside the FLR (1); FLR 2; tumour t 10+t. */
export function labelsOf(key: string): number[] {
  if (key === 'liver') return [LABEL_LIVER_NON_FLR];
  if (key === 'flr') return [LABEL_FLR];
  const t = tumourIndexOf(key);
  if (t === null) throw new Error(`unknown segment "${key}"`);
  return [tumourLabel(t)];
}

/** Adds the next tumour (lowest free index), ordered after the existing tumours and before the FLR. */
export function addTumour(segments: SegmentItem[]): { segments: SegmentItem[]; key: string } {
  const used = new Set(segments.map((s) => tumourIndexOf(s.key)).filter((t): t is number => t !== null));
  let t = 0;
  while (used.has(t)) t++;
  if (t >= MAX_TUMOURS) throw new Error(`at most ${MAX_TUMOURS} tumours`);
  const item: SegmentItem = { key: `tumour:${t}`, name: `Tumour ${t + 1}`, color: tumourColor(t), visible: true, locked: false };
  const flrAt = segments.findIndex((s) => s.key === 'flr');
  const out = [...segments];
  out.splice(flrAt < 0 ? out.length : flrAt, 0, item);
  return { segments: out, key: item.key };
}

export function removeSegment(segments: SegmentItem[], key: string): SegmentItem[] {
  if (tumourIndexOf(key) === null) throw new Error('only tumours can be removed (liver and FLR are always present)');
  return segments.filter((s) => s.key !== key);
}

export function updateSegment(segments: SegmentItem[], key: string, patch: Partial<Omit<SegmentItem, 'key'>>): SegmentItem[] {
  if (patch.name !== undefined && patch.name.trim() === '') throw new Error('a segment name cannot be empty');
  return segments.map((s) => (s.key === key ? { ...s, ...patch, ...(patch.name !== undefined && { name: patch.name.trim() }) } : s));
}

/** Segments for the tumour labels present in a labelmap's statistics (e.g. after reopening or importing). */
export function ensureTumours(segments: SegmentItem[], tumourIndices: number[]): SegmentItem[] {
  let out = segments;
  for (const t of [...tumourIndices].sort((a, b) => a - b)) {
    if (out.some((s) => s.key === `tumour:${t}`)) continue;
    const item: SegmentItem = { key: `tumour:${t}`, name: `Tumour ${t + 1}`, color: tumourColor(t), visible: true, locked: false };
    const flrAt = out.findIndex((s) => s.key === 'flr');
    out = [...out];
    out.splice(flrAt < 0 ? out.length : flrAt, 0, item);
  }
  return out;
}

/**
 * The segment list of a reopened segmentation from its stored list (names, colours, visibility, locks saved with the
 * timepoint): liver and FLR always present (defaults when missing), stored tumours in index order before the FLR,
 * then segments for tumour labels found in the labelmap but not in the stored list.
 */
export function restoreSegments(stored: readonly SegmentItem[] | null, tumourIndices: number[]): SegmentItem[] {
  const byKey = new Map((stored ?? []).map((s) => [s.key, s]));
  const pick = (d: SegmentItem): SegmentItem => {
    const s = byKey.get(d.key);
    return s ? { key: d.key, name: s.name, color: [s.color[0], s.color[1], s.color[2]], visible: s.visible, locked: s.locked } : d;
  };
  const [liver, flr] = defaultSegments() as [SegmentItem, SegmentItem];
  const indices = new Set([...[...byKey.keys()].map(tumourIndexOf).filter((t): t is number => t !== null), ...tumourIndices]);
  const tumours = [...indices].sort((x, y) => x - y).map((t) => pick({ key: `tumour:${t}`, name: `Tumour ${t + 1}`, color: tumourColor(t), visible: true, locked: false }));
  return [pick(liver), ...tumours, pick(flr)];
}
