import { describe, expect, it } from 'vitest';
import { addTumour, defaultSegments, ensureTumours, labelsOf, removeSegment, restoreSegments, segmentRefOf, updateSegment } from './segments.ts';

describe('segments model', () => {
  it('adds tumours with the lowest free index before the FLR, renames and removes them', () => {
    let segs = defaultSegments();
    ({ segments: segs } = addTumour(segs));
    const second = addTumour(segs);
    segs = second.segments;
    expect(segs.map((s) => s.key)).toEqual(['liver', 'tumour:0', 'tumour:1', 'flr']);
    segs = removeSegment(segs, 'tumour:0');
    expect(addTumour(segs).key).toBe('tumour:0');
    segs = updateSegment(segs, 'tumour:1', { name: '  Segment VIII lesion ' });
    expect(segs.find((s) => s.key === 'tumour:1')?.name).toBe('Segment VIII lesion');
    expect(() => updateSegment(segs, 'tumour:1', { name: ' ' })).toThrow(/empty/);
    expect(() => removeSegment(segs, 'liver')).toThrow(/only tumours/);
  });

  it('maps keys to engine segments and role labels', () => {
    expect(segmentRefOf('tumour:3')).toEqual({ role: 'tumour', tumourIndex: 3 });
    expect(labelsOf('liver')).toEqual([1]);
    expect(labelsOf('flr')).toEqual([2]);
    expect(labelsOf('tumour:2')).toEqual([12]);
    expect(ensureTumours(defaultSegments(), [2, 0]).map((s) => s.key)).toEqual(['liver', 'tumour:0', 'tumour:2', 'flr']);
  });
});

describe('restoring a stored segment list', () => {
  it('keeps stored names, colours, visibility and locks, orders tumours before the FLR and adds tumours found in the labelmap', () => {
    const stored = [
      { key: 'flr', name: 'Remnant', color: [1, 2, 3] as [number, number, number], visible: false, locked: true },
      { key: 'tumour:2', name: 'Segment VIII lesion', color: [9, 8, 7] as [number, number, number], visible: true, locked: false },
    ];
    const segs = restoreSegments(stored, [0, 2]);
    expect(segs.map((s) => s.key)).toEqual(['liver', 'tumour:0', 'tumour:2', 'flr']);
    expect(segs[0]).toEqual(defaultSegments()[0]);
    expect(segs[1]?.name).toBe('Tumour 1');
    expect(segs[2]).toMatchObject({ name: 'Segment VIII lesion', color: [9, 8, 7] });
    expect(segs[3]).toMatchObject({ name: 'Remnant', color: [1, 2, 3], visible: false, locked: true });
    expect(restoreSegments(null, [])).toEqual(defaultSegments());
  });
});
