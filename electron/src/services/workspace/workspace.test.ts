import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readNifti } from '../../../../wasm/src/io/nifti-read.ts';
import { SegmentationSession } from '../../../../wasm/src/segmentation/session.ts';
import { CRASH_TEST_GEOMETRY, crashCommand, runCrashCommand } from './crash-commands.ts';
import { SegmentationStore, journalName, snapshotName } from './segmentation-store.ts';
import type { StoreOptions } from './segmentation-store.ts';
import { WorkspaceService } from './workspace.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
let tmp = '';
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'remnant-ws-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const [NX, NY, NZ] = CRASH_TEST_GEOMETRY.sizeIJK;
const identity = { seriesInstanceUid: '1.2.3.4', frameOfReferenceUid: '1.2.3.5', geometry: CRASH_TEST_GEOMETRY };

/** Labelmap states after each command 0..n-1 (index 0 = before any command), computed in-process. */
function expectedStates(count: number): Uint8Array[] {
  const session = new SegmentationSession({ labelmap: new Uint8Array(NX * NY * NZ), geometry: CRASH_TEST_GEOMETRY, image: null });
  const states = [session.labelmap.slice()];
  for (let n = 0; n < count; n++) {
    runCrashCommand(session, crashCommand(n));
    states.push(session.labelmap.slice());
  }
  return states;
}

/** Runs commands 0..count-1 through a session wired to a store, as the app does. */
function runWithStore(dir: string, count: number, options: StoreOptions = {}): SegmentationStore {
  const store = SegmentationStore.exists(dir) ? SegmentationStore.open(dir, options) : SegmentationStore.create(dir, identity, new Uint8Array(NX * NY * NZ), options);
  const session = new SegmentationSession({
    labelmap: store.labelmap.slice(),
    geometry: CRASH_TEST_GEOMETRY,
    image: null,
    history: store.historyState(),
    onCommit: (e) => (e.kind === 'edit' ? store.recordEdit(e.entry) : e.kind === 'undo' ? store.recordUndo() : store.recordRedo()),
  });
  for (let n = 0; n < count; n++) runCrashCommand(session, crashCommand(n));
  return store;
}

const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

describe('case workspace', () => {
  it('cases, timepoints, series binding and anthropometrics from DICOM (editable), as schema-versioned JSON', () => {
    const ws = WorkspaceService.open(path.join(tmp, 'ws'));
    const c = ws.createCase('DRAGON-001', { patientSizeM: 1.72, patientWeightKg: 80, patientSex: 'M' });
    expect(c.anthropometrics).toMatchObject({ heightM: 1.72, weightKg: 80, sex: 'M', chemotherapy: null, sources: { heightM: 'dicom', weightKg: 'dicom', sex: 'dicom' } });
    ws.addTimepoint('DRAGON-001', { kind: 'baseline', scanDate: '2024-01-15' });
    ws.addTimepoint('DRAGON-001', { kind: 'week-3', scanDate: '2024-02-05' });
    const custom = ws.addTimepoint('DRAGON-001', { kind: 'custom', label: 'Day 10 post-PVE', scanDate: null });
    expect(custom.id).toBe('day-10-post-pve');
    ws.bindSeries('DRAGON-001', 'baseline', { studyInstanceUid: '1.2.3', seriesInstanceUid: '1.2.3.4', frameOfReferenceUid: '1.2.3.5', sourceFolder: '/data/dragon/001' });
    const edited = ws.updateAnthropometrics('DRAGON-001', { weightKg: 78.5, chemotherapy: true });
    expect(edited.anthropometrics.sources).toMatchObject({ weightKg: 'user', chemotherapy: 'user', heightM: 'dicom' });
    const reopened = WorkspaceService.open(path.join(tmp, 'ws'));
    const back = reopened.getCase('DRAGON-001');
    expect(back.schemaVersion).toBe(1);
    expect(back.timepoints.map((t) => [t.id, t.label, t.scanDate])).toEqual([
      ['baseline', 'Baseline', '2024-01-15'],
      ['week-3', 'Week 3', '2024-02-05'],
      ['day-10-post-pve', 'Day 10 post-PVE', null],
    ]);
    expect(back.timepoints[0]?.series?.seriesInstanceUid).toBe('1.2.3.4');
    expect(() => ws.createCase('DRAGON-001')).toThrow(/already exists/);
    expect(() => ws.createCase('../evil')).toThrow(/subject id/);
    expect(() => ws.updateAnthropometrics('DRAGON-001', { heightM: 172 })).toThrow(/implausible \(expected metres/);
    expect(() => ws.openSegmentation('DRAGON-001', 'week-3', { geometry: CRASH_TEST_GEOMETRY })).toThrow(/not bound to a series/);
    // A damaged case file is reported with its path, and listed as a problem rather than dropped silently.
    const file = path.join(tmp, 'ws', 'cases', 'DRAGON-001', 'case.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 50));
    expect(() => reopened.getCase('DRAGON-001')).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not valid JSON`));
    expect(reopened.listCases().problems[0]).toContain('case.json');
  });

  it('reopening restores the segmentation and the undo history; export as NIfTI reads back', () => {
    const ws = WorkspaceService.open(path.join(tmp, 'ws'));
    ws.createCase('S1');
    ws.addTimepoint('S1', { kind: 'baseline', scanDate: '2024-01-01' });
    ws.bindSeries('S1', 'baseline', { studyInstanceUid: '1.2.3', seriesInstanceUid: '1.2.3.4', frameOfReferenceUid: '1.2.3.5', sourceFolder: '/x' });
    const dir = ws.segmentationDir('S1', 'baseline');
    const states = expectedStates(60);
    const store = runWithStore(dir, 60, { compactEvery: 25 });
    expect(store.currentGeneration).toBeGreaterThan(1);
    const undoCount = store.historyState().undo.length;
    store.close();
    const again = ws.openSegmentation('S1', 'baseline', { geometry: CRASH_TEST_GEOMETRY });
    expect(same(again.labelmap, states[60] as Uint8Array)).toBe(true);
    expect(again.recovery.problems).toEqual([]);
    expect(again.historyState().undo.length).toBe(undoCount);
    // Undo on a session restored from the store walks back through the states.
    const session = new SegmentationSession({ labelmap: again.labelmap.slice(), geometry: CRASH_TEST_GEOMETRY, image: null, history: again.historyState(), onCommit: () => again.recordUndo() });
    session.undo();
    expect(same(session.labelmap, again.labelmap)).toBe(true);
    const out = path.join(tmp, 'seg.nii.gz');
    again.exportNifti(out);
    const nifti = readNifti(new Uint8Array(fs.readFileSync(out)), out);
    expect(Array.from(nifti.data as Uint8Array)).toEqual(Array.from(again.labelmap));
    expect(nifti.geometry.sizeIJK).toEqual(CRASH_TEST_GEOMETRY.sizeIJK);
    again.close();
  });

  it('a torn last journal record is detected, dropped and reported; the store keeps working', () => {
    const dir = path.join(tmp, 'seg');
    const states = expectedStates(12);
    const store = runWithStore(dir, 12, { compactEvery: 1000 });
    store.close();
    const jp = path.join(dir, journalName(1));
    const size = fs.statSync(jp).size;
    fs.truncateSync(jp, size - 5); // the process died mid-append
    const reopened = SegmentationStore.open(dir);
    expect(reopened.recovery.problems.join('\n')).toMatch(/journal-000001\.rjnl: record \d+ .*incomplete.*torn write/);
    expect(reopened.recovery.lost).toMatch(/last, incompletely written operation in journal-000001\.rjnl/);
    // The state before the last effective command (no-op commands write no record).
    let before = 11;
    while (same(states[before] as Uint8Array, states[12] as Uint8Array)) before--;
    expect(same(reopened.labelmap, states[before] as Uint8Array)).toBe(true);
    expect(reopened.recovery.quarantined[0]).toMatch(/^damaged\//);
    expect(reopened.currentGeneration).toBe(2);
    reopened.close();
    // Subsequent opens are clean.
    const third = SegmentationStore.open(dir);
    expect(third.recovery.problems).toEqual([]);
    expect(same(third.labelmap, states[before] as Uint8Array)).toBe(true);
    third.close();
  });

  it('a corrupt newest snapshot is reported and the previous generation plus journals restore everything', () => {
    const dir = path.join(tmp, 'seg');
    const states = expectedStates(50);
    const store = runWithStore(dir, 50, { compactEvery: 20 });
    const gen = store.currentGeneration;
    store.close();
    const sp = path.join(dir, snapshotName(gen));
    const bytes = fs.readFileSync(sp);
    bytes[bytes.length - 40] = (bytes[bytes.length - 40] as number) ^ 0xff;
    fs.writeFileSync(sp, bytes);
    const reopened = SegmentationStore.open(dir);
    expect(reopened.recovery.problems[0]).toMatch(new RegExp(`${snapshotName(gen)}: `));
    expect(reopened.recovery.snapshotGeneration).toBe(gen - 1);
    expect(reopened.recovery.lost).toBe('');
    expect(same(reopened.labelmap, states[50] as Uint8Array)).toBe(true);
    reopened.close();
    // Garbage instead of every snapshot: a clear error naming the folder, never a silent empty segmentation.
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.rsnap')) fs.writeFileSync(path.join(dir, f), 'not a snapshot');
    expect(() => SegmentationStore.open(dir)).toThrow(/no readable snapshot .*bad magic|too short/);
  });

  it('crash test: SIGKILL mid-burst loses at most the last edit, and the workspace still opens', async () => {
    const dir = path.join(tmp, 'seg');
    const TOTAL = 150;
    const KILL_AFTER_ACK = 60;
    const child = spawn(process.execPath, [path.join(here, 'crash-child.ts'), dir, '15'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let acked = -1;
    let buffer = '';
    const killed = new Promise<void>((resolve, reject) => {
      child.on('exit', () => resolve());
      child.on('error', reject);
      child.stdout.on('data', (d: Buffer) => {
        buffer += d.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          if (line.startsWith('ready')) {
            // The whole burst at once; the child processes it as fast as it can fsync.
            child.stdin.write(Array.from({ length: TOTAL }, (_, n) => JSON.stringify(crashCommand(n))).join('\n') + '\n');
          } else if (line.startsWith('ack ')) {
            acked = Number(line.slice(4));
            if (acked === KILL_AFTER_ACK) child.kill('SIGKILL');
          }
        }
      });
    });
    await killed;
    expect(stderr).toBe('');
    expect(acked).toBeGreaterThanOrEqual(KILL_AFTER_ACK);
    expect(acked).toBeLessThan(TOTAL - 1);
    const states = expectedStates(TOTAL);
    const store = SegmentationStore.open(dir, { compactEvery: 15 });
    // Commands 0..acked were acknowledged (acked + 1 of them): the state must be after command acked + 1 or acked
    // (at most the last acknowledged one lost), or later (commands processed but not yet acknowledged).
    let matched = -1;
    for (let m = states.length - 1; m >= 0; m--) {
      if (same(store.labelmap, states[m] as Uint8Array)) {
        matched = m;
        break;
      }
    }
    expect(matched).toBeGreaterThanOrEqual(acked);
    expect(store.recovery.problems.every((p) => /torn write/.test(p))).toBe(true);
    store.close();
    // Restarted, the child opens the workspace and carries on.
    const second = spawn(process.execPath, [path.join(here, 'crash-child.ts'), dir, '15'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const firstLine = await new Promise<string>((resolve, reject) => {
      second.stdout.once('data', (d: Buffer) => resolve(d.toString()));
      second.on('error', reject);
    });
    second.stdin.end();
    await new Promise((r) => second.on('exit', r));
    expect(firstLine).toMatch(/^ready /);
  });
});
