import { describe, expect, it } from 'vitest';
import type { ImageGeometry } from '../geometry/types.ts';
import type { ImportedSegment, ImportedSegmentation } from '../labels/types.ts';
import { composeRoleLabelmap } from './compose.ts';

const N = 24;
const geometry: ImageGeometry = { sizeIJK: [N, N, N], spacingMm: [1, 1, 1], originLPS: [0, 0, 0], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] };

type Pred = (i: number, j: number, k: number) => boolean;
const ball =
  (ci: number, cj: number, ck: number, r: number): Pred =>
  (i, j, k) =>
    (i - ci) ** 2 + (j - cj) ** 2 + (k - ck) ** 2 <= r * r;

function fill(layer: Uint8Array | Uint16Array, value: number, pred: Pred): void {
  for (let k = 0; k < N; k++) for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) if (pred(i, j, k)) layer[i + N * (j + N * k)] = value;
}

function seg(segmentNumber: number, layer: number, labelValue: number, label: string): ImportedSegment {
  return { segmentNumber, layer, labelValue, label, voxelCount: 0 };
}

function imported(layers: Array<Uint8Array | Uint16Array>, segments: ImportedSegment[]): ImportedSegmentation {
  return { geometry, layers, segments, source: { format: 'dicom-seg', fileName: 'seg.dcm', sha256: '0'.repeat(64), mappingNotes: [] } };
}

/** Expected role per voxel from the plain definitions, independent of the implementation's lookup tables. */
function expectedLabel(liver: Pred, tumours: Pred[], flr: Pred | null, i: number, j: number, k: number): number {
  const t = tumours.findIndex((p) => p(i, j, k));
  if (t >= 0) return 10 + t;
  if (liver(i, j, k)) return flr?.(i, j, k) ? 2 : 1;
  return 0;
}

function countWhere(pred: Pred): number {
  let n = 0;
  for (let k = 0; k < N; k++) for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) if (pred(i, j, k)) n++;
  return n;
}

describe('composeRoleLabelmap', () => {
  // Liver: ball r=9 at the centre; FLR: liver voxels with i < 12 (left half) plus a strip outside the liver;
  // tumour A: ball r=3 inside the FLR half; tumour B: ball r=4 straddling the liver boundary; tumour C overlaps B.
  const liver = ball(12, 12, 12, 9);
  const flrDrawn: Pred = (i, j, k) => (i < 12 && liver(i, j, k)) || (i === 1 && j < 4 && k < 4);
  const tumourA = ball(8, 12, 12, 3);
  const tumourB = ball(12, 12, 20, 4);
  const tumourC = ball(12, 12, 17, 2);

  function build(): ImportedSegmentation {
    const layers = [new Uint8Array(N ** 3), new Uint8Array(N ** 3), new Uint16Array(N ** 3), new Uint8Array(N ** 3)];
    fill(layers[0] as Uint8Array, 1, liver);
    fill(layers[1] as Uint8Array, 3, flrDrawn);
    fill(layers[2] as Uint16Array, 700, tumourA);
    fill(layers[2] as Uint16Array, 701, tumourB);
    fill(layers[3] as Uint8Array, 1, tumourC);
    return imported(layers, [seg(1, 0, 1, 'Liver'), seg(4, 1, 3, 'FLR'), seg(7, 2, 700, 'Tumour A'), seg(8, 2, 701, 'Tumour B'), seg(9, 3, 1, 'Tumour C')]);
  }

  it('applies the role rules voxel by voxel and counts every rewritten voxel', () => {
    const result = composeRoleLabelmap(build(), { liver: [1], tumours: [7, 8, 9], flr: [4] });
    const tumours = [tumourA, tumourB, tumourC];
    let mismatches = 0;
    for (let k = 0; k < N; k++)
      for (let j = 0; j < N; j++)
        for (let i = 0; i < N; i++) if (result.labelmap[i + N * (j + N * k)] !== expectedLabel(liver, tumours, flrDrawn, i, j, k)) mismatches++;
    expect(mismatches).toBe(0);

    const anyTumour: Pred = (i, j, k) => tumours.some((p) => p(i, j, k));
    const qc = result.qc;
    expect(qc.tumourOutsideLiverVoxels).toBe(countWhere((i, j, k) => anyTumour(i, j, k) && !liver(i, j, k)));
    expect(qc.tumourOutsideLiverVoxels).toBeGreaterThan(0);
    expect(qc.flrInsideTumourVoxels).toBe(countWhere((i, j, k) => anyTumour(i, j, k) && flrDrawn(i, j, k)));
    expect(qc.flrInsideTumourVoxels).toBeGreaterThan(0);
    expect(qc.flrOutsideLiverVoxels).toBe(16); // the 1x4x4 strip outside the ball
    expect(qc.tumourOverlapVoxels).toBe(countWhere((i, j, k) => tumourB(i, j, k) && tumourC(i, j, k)));
    expect(qc.tumourOverlapVoxels).toBeGreaterThan(0);
    expect(qc.tumours.map((t) => t.voxelCount)).toEqual([
      countWhere(tumourA),
      countWhere(tumourB),
      countWhere((i, j, k) => tumourC(i, j, k) && !tumourB(i, j, k)),
    ]);
    expect(qc.voxelCounts.liver).toBe(countWhere((i, j, k) => liver(i, j, k) || anyTumour(i, j, k)));
    expect(qc.voxelCounts.flr).toBe(countWhere((i, j, k) => flrDrawn(i, j, k) && liver(i, j, k) && !anyTumour(i, j, k)));
    expect(qc.flags.map((f) => f.code).sort()).toEqual(['flr-inside-tumour', 'flr-outside-liver', 'tumour-outside-liver', 'tumour-overlap']);
    expect(qc.flags.find((f) => f.code === 'flr-outside-liver')?.voxelCount).toBe(16);
  });

  it('lets a single-layer NIfTI-style labelmap be both liver (union) and tumours, and groups tumours on request', () => {
    const layer = new Uint8Array(N ** 3);
    fill(layer, 1, liver);
    fill(layer, 2, tumourA);
    fill(layer, 3, ball(16, 12, 12, 2));
    const segs = [seg(1, 0, 1, 'parenchyma'), seg(2, 0, 2, 'lesion a'), seg(3, 0, 3, 'lesion b')];
    const separate = composeRoleLabelmap(imported([layer], segs), { liver: [1, 2, 3], tumours: [2, 3], flr: [] });
    expect(separate.qc.tumourOutsideLiverVoxels).toBe(0);
    expect(separate.qc.tumours.map((t) => t.voxelCount)).toEqual([countWhere(tumourA), countWhere(ball(16, 12, 12, 2))]);
    expect(separate.qc.voxelCounts.liver).toBe(countWhere(liver));
    expect(separate.qc.flags.map((f) => f.code)).toEqual(['flr-not-mapped']);

    const grouped = composeRoleLabelmap(imported([layer], segs), { liver: [1, 2, 3], tumours: [[2, 3]], flr: [1] });
    expect(grouped.qc.tumours).toHaveLength(1);
    expect(grouped.qc.tumours[0]?.segmentNumbers).toEqual([2, 3]);
    expect(grouped.qc.tumours[0]?.voxelCount).toBe(separate.qc.voxelCounts.tumours);
    expect(grouped.qc.voxelCounts.flr).toBe(separate.qc.voxelCounts.tlvMeasured);
    expect(grouped.mapping.tumours).toEqual([[2, 3]]);
  });

  it('rejects unknown segments, a missing liver role and ambiguous tumour assignments with clear messages', () => {
    const seg1 = build();
    expect(() => composeRoleLabelmap(seg1, { liver: [1], tumours: [5], flr: [] })).toThrow(
      'role mapping "tumours[0]": segment 5 does not exist; available segments: 1 "Liver", 4 "FLR", 7 "Tumour A", 8 "Tumour B", 9 "Tumour C"',
    );
    expect(() => composeRoleLabelmap(seg1, { liver: [], tumours: [], flr: [4] })).toThrow(/role mapping "liver" is missing.*available segments: 1 "Liver"/);
    expect(() => composeRoleLabelmap(seg1, { liver: [2], tumours: [], flr: [] })).toThrow(/"liver": segment 2 does not exist/);
    expect(() => composeRoleLabelmap(seg1, { liver: [1], tumours: [7, [7, 8]], flr: [] })).toThrow(/segment 7 is assigned to tumour 1 and tumour 2/);
    expect(() => composeRoleLabelmap(seg1, { liver: [1, 1], tumours: [], flr: [] })).toThrow(/"liver": segment 1 is listed twice/);
  });

  it('rejects layers that do not match the grid', () => {
    const bad = imported([new Uint8Array(10)], [seg(1, 0, 1, 'Liver')]);
    expect(() => composeRoleLabelmap(bad, { liver: [1], tumours: [], flr: [] })).toThrow(/layer 0 has 10 voxels but the grid 24x24x24 has 13824/);
  });

  it('flags an empty FLR and an empty liver as errors', () => {
    const layer = new Uint8Array(N ** 3);
    const segs = [seg(1, 0, 1, 'Liver'), seg(2, 0, 2, 'FLR')];
    const result = composeRoleLabelmap(imported([layer], segs), { liver: [1], tumours: [], flr: [2] });
    expect(result.qc.flags.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['liver-empty', 'flr-empty']);
  });
});
