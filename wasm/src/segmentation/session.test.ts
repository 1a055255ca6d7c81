import { describe, expect, it } from 'vitest';
import type { ImageGeometry, Vec3 } from '../geometry/types.ts';
import type { ScalarVolume } from '../image/types.ts';
import { generatePhantom, phantomScalarVolume } from '../../../fixtures/src/phantom/index.ts';
import { computeLabelStats } from '../stats/label-stats.ts';
import { decodeHistoryEntry, decodeHistoryState, encodeHistoryEntry, encodeHistoryState } from './history.ts';
import { decodeRuns, encodeRuns } from './runs.ts';
import { SegmentationSession } from './session.ts';
import type { CommitEvent } from './session.ts';

const axial = (size: Vec3, spacing: Vec3): ImageGeometry => ({ sizeIJK: size, spacingMm: spacing, originLPS: [0, 0, 0], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] });

function counts(labelmap: Uint8Array, image: ScalarVolume | null, geometry: ImageGeometry): Array<[number, number]> {
  return computeLabelStats(labelmap, image, { grid: geometry }).labels.map((l) => [l.label, l.voxelCount]);
}

function cube(lab: Uint8Array, size: Vec3, lo: Vec3, hi: Vec3, label: number): void {
  for (let k = lo[2]; k <= hi[2]; k++) for (let j = lo[1]; j <= hi[1]; j++) for (let i = lo[0]; i <= hi[0]; i++) lab[i + size[0] * (j + size[1] * k)] = label;
}

describe('session: edits, incremental statistics, undo/redo', () => {
  it('undo restores the exact labels and counts voxel for voxel; redo re-applies; the panel stays exact', () => {
    const phantom = generatePhantom({ rows: 40, columns: 40, pixelSpacingMm: [9, 9], sliceCount: 24, sliceSpacingMm: 9 });
    const image = phantomScalarVolume(phantom);
    const labelmap = phantom.labels.slice();
    const events: CommitEvent[] = [];
    let clock = 1000;
    const s = new SegmentationSession({ labelmap, geometry: image.geometry, image, now: () => clock++, onCommit: (e) => events.push(e) });
    const c = phantom.anatomy.liver.centreLPS;
    const snapshots: Uint8Array[] = [labelmap.slice()];
    s.brush({ segment: { role: 'tumour', tumourIndex: 2 }, op: 'paint', shape: 'sphere', radiusMm: 25, pointsLPS: [c] });
    snapshots.push(labelmap.slice());
    s.brush({ segment: { role: 'liver' }, op: 'erase', shape: 'circle', radiusMm: 40, pointsLPS: [[c[0] + 30, c[1], c[2]]], viewNormalLPS: [0, 0, 1] });
    snapshots.push(labelmap.slice());
    s.scissors({ segment: { role: 'flr' }, mode: 'fill', shape: { kind: 'circle', centreLPS: c, radiusMm: 30, view: { normalLPS: [1, 0, 0] } } });
    snapshots.push(labelmap.slice());
    expect(s.history.describe().undo.map((e) => e.tool)).toEqual(['brush', 'eraser', 'scissors']);
    expect(counts(labelmap, image, image.geometry)).toEqual(s.panel().labels.map((l) => [l.label, l.voxelCount]));

    for (let n = 3; n >= 1; n--) {
      const d = s.undo();
      expect(d?.tool).toBe('undo');
      expect(Array.from(labelmap)).toEqual(Array.from(snapshots[n - 1] as Uint8Array));
      expect(s.panel().labels.map((l) => [l.label, l.voxelCount])).toEqual(counts(labelmap, image, image.geometry));
    }
    expect(s.undo()).toBeNull();
    s.redo();
    s.redo();
    expect(Array.from(labelmap)).toEqual(Array.from(snapshots[2] as Uint8Array));
    // A new edit clears the redo stack.
    s.brush({ segment: { role: 'tumour', tumourIndex: 3 }, op: 'paint', shape: 'sphere', radiusMm: 10, pointsLPS: [[c[0], c[1], c[2] + 60]] });
    expect(s.history.canRedo).toBe(false);
    expect(events.map((e) => e.kind)).toEqual(['edit', 'edit', 'edit', 'undo', 'undo', 'undo', 'redo', 'redo', 'edit']);
    const panel = s.panel();
    expect(panel.labels.map((l) => [l.label, l.voxelCount])).toEqual(counts(labelmap, image, image.geometry));
  });

  it('history memory is bounded: 50 brush dabs cost far less than 10 % of the labelmap; the cap drops the oldest', () => {
    const size: Vec3 = [128, 128, 64];
    const g = axial(size, [0.8, 0.8, 2]);
    const labelmap = new Uint8Array(128 * 128 * 64);
    const s = new SegmentationSession({ labelmap, geometry: g, image: null });
    for (let n = 0; n < 50; n++) s.brush({ segment: { role: 'liver' }, op: 'paint', shape: 'circle', radiusMm: 8, pointsLPS: [[20 + n, 40 + (n % 7), 2 * (n % 60)]], viewNormalLPS: [0, 0, 1] });
    expect(s.history.describe().undo.length).toBe(50);
    expect(s.history.bytes).toBeLessThan(0.1 * labelmap.length);
    const capped = new SegmentationSession({ labelmap: new Uint8Array(labelmap.length), geometry: g, image: null, historyMaxBytes: 4096 });
    for (let n = 0; n < 20; n++) capped.brush({ segment: { role: 'liver' }, op: 'paint', shape: 'circle', radiusMm: 8, pointsLPS: [[20 + n, 40, 10]], viewNormalLPS: [0, 0, 1] });
    expect(capped.history.bytes).toBeLessThanOrEqual(4096);
    expect(capped.history.droppedEntries).toBeGreaterThan(0);
  });

  it('runs and history entries round-trip through the binary codec; corrupt records are refused', () => {
    const size: Vec3 = [20, 20, 5];
    const labelmap = new Uint8Array(2000);
    const s = new SegmentationSession({ labelmap, geometry: axial(size, [1, 1, 1]), image: null, now: () => 42 });
    const d = s.brush({ segment: { role: 'liver' }, op: 'paint', shape: 'sphere', radiusMm: 3.5, pointsLPS: [[10, 10, 2]] });
    const runs = encodeRuns(d);
    expect(runs.start.length).toBeLessThan(d.voxelsChanged);
    const back = decodeRuns(runs);
    expect(Array.from(back.indices)).toEqual(Array.from(d.indices));
    const entry = s.history.state().undo[0]!;
    const bytes = encodeHistoryEntry(entry);
    const decoded = decodeHistoryEntry(bytes, 'test');
    expect(decoded.description).toBe(entry.description);
    expect(Array.from(decoded.runs.start)).toEqual(Array.from(entry.runs.start));
    const state = decodeHistoryState(encodeHistoryState(s.history.state()), 'test');
    expect(state.undo.length).toBe(1);
    expect(() => decodeHistoryEntry(bytes.subarray(0, bytes.length - 3), 'journal.rjnl record 3')).toThrow(/journal.rjnl record 3/);
  });

  it('restored history undoes on a fresh session; a mismatching labelmap is refused, not corrupted', () => {
    const size: Vec3 = [16, 16, 4];
    const labelmap = new Uint8Array(1024);
    const s = new SegmentationSession({ labelmap, geometry: axial(size, [1, 1, 1]), image: null });
    s.brush({ segment: { role: 'liver' }, op: 'paint', shape: 'sphere', radiusMm: 3, pointsLPS: [[8, 8, 2]] });
    const restored = new SegmentationSession({ labelmap: labelmap.slice(), geometry: axial(size, [1, 1, 1]), image: null, history: s.history.state() });
    restored.undo();
    expect(restored.labelmap.every((l) => l === 0)).toBe(true);
    const wrong = new SegmentationSession({ labelmap: new Uint8Array(1024), geometry: axial(size, [1, 1, 1]), image: null, history: s.history.state() });
    expect(() => wrong.undo()).toThrow(/undo of "brush: liver.*holds label 0, expected 1/);
    expect(wrong.labelmap.every((l) => l === 0)).toBe(true);
    expect(wrong.history.canUndo).toBe(true);
  });
});

describe('clean-up tools', () => {
  const size: Vec3 = [30, 30, 20];
  const g = axial(size, [1, 1, 2]);

  it('remove islands keeps the largest component or the one containing a point', () => {
    const lab = new Uint8Array(30 * 30 * 20);
    cube(lab, size, [2, 2, 2], [10, 10, 8], 1);
    cube(lab, size, [20, 20, 12], [22, 22, 14], 1);
    const s = new SegmentationSession({ labelmap: lab, geometry: g, image: null });
    const d = s.removeIslands({ segment: { role: 'liver' } });
    expect(d.voxelsChanged).toBe(27);
    s.undo();
    s.removeIslands({ segment: { role: 'liver' }, keep: { kind: 'containing', pointLPS: [21, 21, 26] } });
    expect(lab.filter((l) => l === 1).length).toBe(27);
    expect(() => s.removeIslands({ segment: { role: 'liver' }, keep: { kind: 'containing', pointLPS: [0, 0, 0] } })).toThrow(/not in segment liver/);
  });

  it('fill holes: 3D enclosed cavities (not those open to the border), or per slice', () => {
    const lab = new Uint8Array(30 * 30 * 20);
    cube(lab, size, [5, 5, 5], [15, 15, 15], 1);
    cube(lab, size, [8, 8, 8], [10, 10, 10], 0); // enclosed cavity: 27 voxels
    cube(lab, size, [12, 12, 5], [13, 13, 15], 0); // tunnel through all slices (open in 3D, a hole per slice)
    cube(lab, size, [9, 9, 9], [9, 9, 9], 10); // a tumour voxel inside the cavity is liver already
    const s = new SegmentationSession({ labelmap: lab, geometry: g, image: null });
    expect(s.fillHoles({ segment: { role: 'liver' } }).voxelsChanged).toBe(26);
    expect(s.fillHoles({ segment: { role: 'liver' }, mode: 'slice', axis: 2 }).voxelsChanged).toBe(4 * 11);
    expect(lab[9 + 30 * (9 + 30 * 9)]).toBe(10);
  });

  it('smoothing in mm: closing fills a 2 mm slit, opening removes a 1-voxel spike, on anisotropic voxels', () => {
    const lab = new Uint8Array(30 * 30 * 20);
    cube(lab, size, [5, 5, 5], [24, 24, 14], 1);
    cube(lab, size, [14, 5, 5], [15, 24, 14], 0); // slit 2 voxels = 2 mm wide along i
    const s = new SegmentationSession({ labelmap: lab, geometry: g, image: null });
    const closed = s.smooth({ segment: { role: 'liver' }, method: 'closing', radiusMm: 2.5 });
    let slit = 0;
    for (let k = 6; k <= 13; k++) for (let j = 6; j <= 23; j++) for (let i = 14; i <= 15; i++) slit += lab[i + 30 * (j + 30 * k)] === 1 ? 1 : 0;
    expect(slit).toBe(2 * 18 * 8);
    expect(closed.voxelsChanged).toBeGreaterThanOrEqual(slit);
    s.undo();
    const lab2 = new Uint8Array(30 * 30 * 20);
    cube(lab2, size, [5, 5, 5], [20, 20, 12], 1);
    cube(lab2, size, [21, 12, 8], [27, 12, 8], 1); // 1-voxel-thin spike
    const s2 = new SegmentationSession({ labelmap: lab2, geometry: g, image: null });
    s2.smooth({ segment: { role: 'liver' }, method: 'opening', radiusMm: 1.5 });
    for (let i = 22; i <= 27; i++) expect(lab2[i + 30 * (12 + 30 * 8)]).toBe(0);
    expect(lab2[12 + 30 * (12 + 30 * 8)]).toBe(1);
  });

  it('fill between slices of the FLR writes only over liver parenchyma', async () => {
    const lab = new Uint8Array(30 * 30 * 20);
    cube(lab, size, [3, 3, 2], [26, 26, 17], 1);
    cube(lab, size, [12, 12, 8], [14, 14, 12], 10); // tumour in the FLR's way: 3 x 3 x 5 voxels
    cube(lab, size, [8, 8, 4], [18, 18, 4], 2);
    cube(lab, size, [8, 8, 16], [18, 18, 16], 2);
    const s = new SegmentationSession({ labelmap: lab, geometry: g, image: null });
    const { diff, slicesFilled } = await s.fillBetweenSlices({ segment: { role: 'flr' } });
    expect(slicesFilled.length).toBeGreaterThan(0);
    expect(diff.report.clippedTumour).toBe(45);
    for (let c = 0; c < diff.indices.length; c++) {
      expect(diff.oldLabels[c]).toBe(1);
      expect(diff.newLabels[c]).toBe(2);
    }
    expect(lab.filter((l) => l === 10).length).toBe(45);
  });
});
