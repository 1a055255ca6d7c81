/**
 * workspace:* and segmentation:* through THE dispatch (validators + handlers) on both transports, against the real
 * workspace service in a temp folder: invalid payloads are refused before any service code runs; a session's edits,
 * undo and redo are journalled and come back on reopen (labelmap and undo history); a damaged journal is reported;
 * NIfTI export reads back voxel for voxel.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../ipc/dispatch.ts';
import type { CallContext, HandlerTable } from '../ipc/dispatch.ts';
import type { ChannelName, Envelope, Transport } from '../ipc/contract.ts';
import { readNifti } from '../../../wasm/src/io/nifti-read.ts';
import type { ImageGeometry } from '../../../wasm/src/geometry/types.ts';
import { SegmentationSession } from '../../../wasm/src/segmentation/session.ts';
import type { CommitEvent } from '../../../wasm/src/segmentation/session.ts';
import { encodeHistoryEntry } from '../../../wasm/src/segmentation/history.ts';
import { bytesToBase64, decodeSegmentationWire } from '../../../wasm/src/transfer/segmentation-transfer.ts';
import { createHandlerTable } from './handlers.ts';

const geometry: ImageGeometry = { sizeIJK: [12, 10, 8], spacingMm: [2, 2, 3], originLPS: [-10, -5, 20], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
const UIDS = { studyInstanceUid: '1.2.826.0.1.1', seriesInstanceUid: '1.2.826.0.1.2', frameOfReferenceUid: '1.2.826.0.1.3' };

let tmp = '';
let table: HandlerTable;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'remnant-wsh-'));
  table = createHandlerTable({ version: '1', coreVersion: '1', platform: 'linux' });
});
afterEach(async () => {
  await call('segmentation:close', { caseId: 'S-001', timepointId: 'baseline' }).catch(() => undefined);
  fs.rmSync(tmp, { recursive: true, force: true });
});

const ctx = (transport: Transport): CallContext => ({ transport, emit: () => {} });

async function raw(channel: ChannelName, payload: unknown, transport: Transport = 'http'): Promise<Envelope<unknown>> {
  return dispatch(table, channel, payload, ctx(transport));
}

async function call<T = unknown>(channel: ChannelName, payload: unknown, transport: Transport = 'ipc'): Promise<T> {
  const r = await raw(channel, payload, transport);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

async function setUpCase(): Promise<void> {
  await call('workspace:open', { rootPath: path.join(tmp, 'ws') });
  await call('workspace:createCase', { subjectId: 'S-001', dicom: { patientSizeM: 1.72, patientWeightKg: 81, patientSex: 'M' } });
  await call('workspace:addTimepoint', { caseId: 'S-001', kind: 'baseline', scanDate: '2024-03-01' }, 'http');
  await call('workspace:bindSeries', { caseId: 'S-001', timepointId: 'baseline', ...UIDS, sourceFolder: '/data/ct' });
}

describe('workspace channels', () => {
  it('refuse invalid payloads on both transports before the service runs', async () => {
    const bad: Array<[ChannelName, unknown]> = [
      ['workspace:open', { rootPath: '' }],
      ['workspace:open', { rootPath: 'relative/dir' }],
      ['workspace:open', { rootPath: '/x', extra: 1 }],
      ['workspace:createCase', { subjectId: 7 }],
      ['workspace:createCase', { subjectId: 'x'.repeat(65) }],
      ['workspace:createCase', { subjectId: 'S1', dicom: { patientSizeM: 'tall' } }],
      ['workspace:updateAnthropometrics', { caseId: 'S1', heightM: 172 }],
      ['workspace:updateAnthropometrics', { caseId: 'S1', sex: 'X' }],
      ['workspace:updateAnthropometrics', { caseId: 'S1', chemotherapy: 'yes' }],
      ['workspace:addTimepoint', { caseId: 'S1', kind: 'week-2' }],
      ['workspace:addTimepoint', { caseId: 'S1', kind: 'baseline', scanDate: '1.3.2024' }],
      ['workspace:bindSeries', { caseId: 'S1', timepointId: 'baseline', ...UIDS }],
      ['segmentation:open', { caseId: 'S1', timepointId: 'baseline', geometry: { ...geometry, sizeIJK: [12, 10] } }],
      ['segmentation:open', { caseId: 'S1', timepointId: 'baseline', geometry: { ...geometry, directionLPS: [1, 0, 0] } }],
      ['segmentation:record', { caseId: 'S1', timepointId: 'baseline', op: 'paint', entryId: 1 }],
      ['segmentation:record', { caseId: 'S1', timepointId: 'baseline', op: 'edit', entryId: 0, entry: 'AAAA' }],
      ['segmentation:exportNifti', { caseId: 'S1', timepointId: '../../etc' }],
    ];
    for (const [channel, payload] of bad) {
      for (const transport of ['ipc', 'http'] as const) {
        const r = await raw(channel, payload, transport);
        expect(r, `${channel} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: 'invalid-request', channel } });
      }
    }
    // Service-level refusals keep their reason.
    expect(await raw('workspace:createCase', { subjectId: 'S-001' })).toMatchObject({ ok: false, error: { code: 'invalid-request', message: /no workspace is open/ } });
    await setUpCase();
    expect(await raw('workspace:createCase', { subjectId: '../evil' })).toMatchObject({ ok: false, error: { code: 'invalid-request', message: /subject id/ } });
    expect(await raw('workspace:createCase', { subjectId: 'S-001' })).toMatchObject({ ok: false, error: { message: /already exists/ } });
    expect(await raw('workspace:addTimepoint', { caseId: 'S-001', kind: 'custom' })).toMatchObject({ ok: false, error: { message: /custom timepoint needs a label/ } });
    expect(await raw('segmentation:exportNifti', { caseId: 'S-001', timepointId: 'baseline' })).toMatchObject({ ok: false, error: { message: /not open/ } });
  });

  it('cases, timepoints, series binding and anthropometrics: prefilled from DICOM, edited by the user', async () => {
    await setUpCase();
    let c = await call<{ anthropometrics: Record<string, unknown>; timepoints: Array<{ id: string; scanDate: string; series: { seriesInstanceUid: string } }> }>('workspace:getCase', { caseId: 'S-001' });
    expect(c.anthropometrics).toMatchObject({ heightM: 1.72, weightKg: 81, sex: 'M', chemotherapy: null, sources: { heightM: 'dicom', weightKg: 'dicom', sex: 'dicom' } });
    expect(c.timepoints[0]).toMatchObject({ id: 'baseline', scanDate: '2024-03-01', series: { seriesInstanceUid: UIDS.seriesInstanceUid } });
    c = await call('workspace:updateAnthropometrics', { caseId: 'S-001', weightKg: 78.5, chemotherapy: true }, 'http');
    expect(c.anthropometrics).toMatchObject({ heightM: 1.72, weightKg: 78.5, chemotherapy: true, sources: { weightKg: 'user', chemotherapy: 'user', heightM: 'dicom' } });
    await call('workspace:addTimepoint', { caseId: 'S-001', kind: 'custom', label: 'Week 6', scanDate: null });
    const info = await call<{ cases: Array<{ timepoints: Array<{ id: string; label: string }> }> }>('workspace:open', { rootPath: path.join(tmp, 'ws') });
    expect(info.cases[0]!.timepoints.map((t) => [t.id, t.label])).toEqual([
      ['baseline', 'Baseline'],
      ['week-6', 'Week 6'],
    ]);
  });

  it('autosave: edits, undo and redo are journalled; reopening restores labelmap and undo history; NIfTI export matches', async () => {
    await setUpCase();
    const req = { caseId: 'S-001', timepointId: 'baseline' };
    const opened = decodeSegmentationWire(await call<Uint8Array>('segmentation:open', { ...req, geometry }, 'http'));
    expect(opened.header.created).toBe(true);
    expect(opened.labelmap.every((l) => l === 0)).toBe(true);
    const events: CommitEvent[] = [];
    const session = new SegmentationSession({ labelmap: opened.labelmap, geometry, image: null, history: opened.history, onCommit: (e) => events.push(e) });
    session.brush({ segment: { role: 'liver' }, op: 'paint', shape: 'sphere', radiusMm: 5, pointsLPS: [[0, 4, 32]] });
    session.brush({ segment: { role: 'tumour', tumourIndex: 0 }, op: 'paint', shape: 'sphere', radiusMm: 2.5, pointsLPS: [[0, 4, 32]] });
    session.undo();
    session.redo();
    session.undo();
    for (const e of events) {
      const op = e.kind === 'edit' ? { op: 'edit', entryId: e.entry.id, entry: bytesToBase64(encodeHistoryEntry(e.entry)) } : { op: e.kind, entryId: e.entry.id };
      await call('segmentation:record', { ...req, ...op }, 'http');
    }
    // Out of sync: a second undo of the same entry is refused, nothing journalled.
    expect(await raw('segmentation:record', { ...req, op: 'redo', entryId: 1 })).toMatchObject({ ok: false, error: { code: 'invalid-request', message: /next redo is entry 2/ } });
    const exported = await call<{ path: string }>('segmentation:exportNifti', { ...req, fileName: 'labels.nii.gz' });
    expect(exported.path).toBe(path.join(tmp, 'ws', 'cases', 'S-001', 'timepoints', 'baseline', 'exports', 'labels.nii.gz'));
    const nifti = readNifti(new Uint8Array(fs.readFileSync(exported.path)), 'labels.nii.gz');
    expect(Array.from(nifti.data as Uint8Array)).toEqual(Array.from(session.labelmap));
    await call('segmentation:close', req);

    // A fresh process state (new handler table) reopens the same case.
    table = createHandlerTable({ version: '1', coreVersion: '1', platform: 'linux' });
    await call('workspace:open', { rootPath: path.join(tmp, 'ws') });
    const again = decodeSegmentationWire(await call<Uint8Array>('segmentation:open', { ...req, geometry }));
    expect(again.header.created).toBe(false);
    expect(again.header.recovery.problems).toEqual([]);
    expect(Array.from(again.labelmap)).toEqual(Array.from(session.labelmap));
    expect(again.history.undo.map((e) => e.id)).toEqual([1]);
    expect(again.history.redo.map((e) => e.id)).toEqual([2]);
    const restored = new SegmentationSession({ labelmap: again.labelmap, geometry, image: null, history: again.history });
    restored.redo();
    restored.undo();
    restored.undo();
    expect(restored.labelmap.every((l) => l === 0)).toBe(true);
  });

  it('a damaged journal is reported on open, never applied silently', async () => {
    await setUpCase();
    const req = { caseId: 'S-001', timepointId: 'baseline' };
    const opened = decodeSegmentationWire(await call<Uint8Array>('segmentation:open', { ...req, geometry }));
    const events: CommitEvent[] = [];
    const session = new SegmentationSession({ labelmap: opened.labelmap, geometry, image: null, onCommit: (e) => events.push(e) });
    session.brush({ segment: { role: 'liver' }, op: 'paint', shape: 'sphere', radiusMm: 5, pointsLPS: [[0, 4, 32]] });
    session.brush({ segment: { role: 'liver' }, op: 'paint', shape: 'sphere', radiusMm: 5, pointsLPS: [[8, 4, 32]] });
    for (const e of events) await call('segmentation:record', { ...req, op: 'edit', entryId: e.entry.id, entry: bytesToBase64(encodeHistoryEntry(e.entry)) });
    await call('segmentation:close', req);
    const dir = path.join(tmp, 'ws', 'cases', 'S-001', 'timepoints', 'baseline', 'segmentation');
    const journal = fs.readdirSync(dir).find((f) => f.endsWith('.rjnl'))!;
    const bytes = fs.readFileSync(path.join(dir, journal));
    bytes[bytes.length - 3] ^= 0xff;
    fs.writeFileSync(path.join(dir, journal), bytes);
    const again = decodeSegmentationWire(await call<Uint8Array>('segmentation:open', { ...req, geometry }));
    expect(again.header.recovery.problems.join(' ')).toContain(journal);
    expect(again.header.recovery.lost).not.toBe('');
    expect(again.history.undo.map((e) => e.id)).toEqual([1]);
  });

  it('segment names, colours, visibility and locks: stored atomically per timepoint, read back on both transports, invalid lists and a damaged file reported', async () => {
    await setUpCase();
    const req = { caseId: 'S-001', timepointId: 'baseline' };
    expect(await call('segmentation:getSegmentStyles', req, 'http')).toEqual({ segments: null, problem: null });
    const segments = [
      { key: 'liver', name: 'Liver', color: [221, 130, 101], visible: true, locked: true },
      { key: 'tumour:0', name: 'Segment VIII lesion', color: [10, 20, 30], visible: false, locked: false },
      { key: 'flr', name: 'FLR', color: [80, 200, 120], visible: true, locked: false },
    ];
    await call('segmentation:saveSegmentStyles', { ...req, segments }, 'http');
    // A fresh process state reads the same list.
    table = createHandlerTable({ version: '1', coreVersion: '1', platform: 'linux' });
    await call('workspace:open', { rootPath: path.join(tmp, 'ws') });
    expect(await call('segmentation:getSegmentStyles', req)).toEqual({ segments, problem: null });
    const file = path.join(tmp, 'ws', 'cases', 'S-001', 'timepoints', 'baseline', 'segments.json');
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const transport of ['ipc', 'http'] as const) {
      for (const bad of [
        { ...req, segments: [{ ...segments[0], color: [256, 0, 0] }] },
        { ...req, segments: [{ ...segments[0], name: '' }] },
        { ...req, segments: [{ ...segments[0], visible: 'yes' }] },
        { ...req, segments: [{ ...segments[0], extra: 1 }] },
        { ...req, timepointId: '../x', segments },
      ]) expect(await raw('segmentation:saveSegmentStyles', bad, transport)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
      // Passes the schema, refused by the service (unknown key, duplicate key, unknown timepoint).
      expect(await raw('segmentation:saveSegmentStyles', { ...req, segments: [{ ...segments[0], key: 'spleen' }] }, transport)).toMatchObject({ ok: false, error: { code: 'invalid-request', message: /spleen/ } });
      expect(await raw('segmentation:saveSegmentStyles', { ...req, segments: [segments[0], segments[0]] }, transport)).toMatchObject({ ok: false, error: { code: 'invalid-request', message: /twice/ } });
      expect(await raw('segmentation:saveSegmentStyles', { ...req, timepointId: 'week-1', segments }, transport)).toMatchObject({ ok: false, error: { code: 'invalid-request', message: /no timepoint "week-1"/ } });
      expect(await raw('segmentation:getSegmentStyles', { ...req, timepointId: 'week-1' }, transport)).toMatchObject({ ok: false, error: { code: 'invalid-request', message: /no timepoint "week-1"/ } });
    }
    // Refused saves left the stored list as it was.
    expect(await call('segmentation:getSegmentStyles', req)).toEqual({ segments, problem: null });
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 40));
    const damaged = await call<{ segments: unknown; problem: string }>('segmentation:getSegmentStyles', req);
    expect(damaged.segments).toBeNull();
    expect(damaged.problem).toContain(file);
  });
});
