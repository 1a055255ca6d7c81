import { describe, expect, it } from 'vitest';
import { EditHistory } from '../segmentation/history.ts';
import { base64ToBytes, bytesToBase64, decodeSegmentationWire, encodeSegmentationWire } from './segmentation-transfer.ts';
import type { SegmentationWireHeader } from './segmentation-transfer.ts';

const header: SegmentationWireHeader = {
  caseId: 'C1',
  timepointId: 'baseline',
  seriesInstanceUid: '1.2.3',
  frameOfReferenceUid: '1.2.4',
  geometry: { sizeIJK: [5, 4, 3], spacingMm: [1, 1, 2], originLPS: [0, 0, 0], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
  generation: 3,
  recovery: { snapshotGeneration: 3, journalOpsReplayed: 2, problems: [], lost: '', quarantined: [] },
  created: false,
};

describe('segmentation wire', () => {
  it('round-trips labelmap and history; refuses truncated or foreign bytes', () => {
    const labelmap = new Uint8Array(60);
    labelmap.fill(1, 7, 30);
    labelmap.fill(12, 31, 33);
    labelmap[59] = 2;
    const history = new EditHistory();
    history.push({ tool: 'brush', segment: 'liver', op: 'paint', voxelsChanged: 2, indices: Uint32Array.of(7, 8), oldLabels: Uint8Array.of(0, 0), newLabels: Uint8Array.of(1, 1), report: { candidates: 2, changed: 2, addedToLiver: 0, removedFromFlr: 0, clippedOutsideLiver: 0, clippedTumour: 0, blockedLocked: 0, blockedOtherTumour: 0, keptTumour: 0, blockedReserved: 0 } }, 1000);
    const bytes = encodeSegmentationWire({ header, labelmap, history: history.state() });
    const back = decodeSegmentationWire(bytes);
    expect(back.header).toEqual(header);
    expect(Array.from(back.labelmap)).toEqual(Array.from(labelmap));
    expect(back.history.undo[0]?.description).toBe('brush: liver, 2 voxels changed');
    expect(Array.from(back.history.undo[0]!.runs.start)).toEqual([7]);
    expect(() => decodeSegmentationWire(bytes.subarray(0, bytes.length - 1))).toThrow(/runs past the end/);
    const foreign = bytes.slice();
    foreign[0] = 0x58;
    expect(() => decodeSegmentationWire(foreign)).toThrow(/bad magic/);
  });

  it('base64 matches the platform encoder for every length remainder', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 1000, 20000]) {
      const bytes = Uint8Array.from({ length: n }, (_, c) => (c * 37 + 11) & 255);
      const text = bytesToBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(Array.from(base64ToBytes(text))).toEqual(Array.from(bytes));
    }
    expect(() => base64ToBytes('ab$d')).toThrow(/invalid character/);
  });
});
