/**
 * Autosave cost (issue 5): a 512 x 512 x 120 segmentation store in a temp folder; 100 brush strokes through the
 * session, each journalled and fsynced before returning (the ack). Reports per-edit autosave time (median, p95,
 * max), journal bytes per edit, the compaction (snapshot) time and the reopen time. Writes bench/results/workspace.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImageGeometry } from '../wasm/src/geometry/types.ts';
import { SegmentationSession } from '../wasm/src/segmentation/session.ts';
import { SegmentationStore } from '../electron/src/services/workspace/segmentation-store.ts';
import { quantile, writeResult } from './lib.ts';

const geometry: ImageGeometry = { sizeIJK: [512, 512, 120], spacingMm: [0.75, 0.75, 2.5], originLPS: [-192, -192, -150], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
const total = 512 * 512 * 120;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remnant-ws-bench-'));
const pct = quantile;
try {
  const initial = new Uint8Array(total);
  const store = SegmentationStore.create(dir, { seriesInstanceUid: '1.2.3.4', frameOfReferenceUid: '1.2.3.5', geometry }, initial, { compactEvery: 1_000_000 });
  const autosaveMs: number[] = [];
  let journalBytes = 0;
  const session = new SegmentationSession({
    labelmap: initial.slice(),
    geometry,
    image: null,
    onCommit: (e) => {
      const t0 = performance.now();
      if (e.kind === 'edit') store.recordEdit(e.entry);
      autosaveMs.push(performance.now() - t0);
    },
  });
  const before = fs.statSync(path.join(dir, 'journal-000001.rjnl')).size;
  for (let n = 0; n < 100; n++) {
    session.brush({ segment: { role: 'liver' }, op: 'paint', shape: 'circle', radiusMm: 15, pointsLPS: [[-100 + 2 * n, -50 + (n % 10) * 5, -140 + 2.5 * n]], viewNormalLPS: [0, 0, 1] });
  }
  journalBytes = fs.statSync(path.join(dir, 'journal-000001.rjnl')).size - before;
  let t0 = performance.now();
  store.compact();
  const compactMs = performance.now() - t0;
  const snapBytes = fs.statSync(path.join(dir, 'snapshot-000002.rsnap')).size;
  store.close();
  t0 = performance.now();
  const reopened = SegmentationStore.open(dir);
  const reopenMs = performance.now() - t0;
  const restoredOk = Buffer.compare(Buffer.from(reopened.labelmap), Buffer.from(session.labelmap)) === 0;
  reopened.close();
  const result = {
    bench: 'workspace',
    createdAt: new Date().toISOString(),
    node: process.version,
    grid: geometry.sizeIJK,
    edits: autosaveMs.length,
    autosaveMedianMs: pct(autosaveMs, 0.5),
    autosaveP95Ms: pct(autosaveMs, 0.95),
    autosaveMaxMs: Math.max(...autosaveMs),
    journalBytesPerEdit: journalBytes / autosaveMs.length,
    compactionMs: compactMs,
    snapshotBytes: snapBytes,
    reopenMs,
    restoredOk,
    checks: [{ case: 'reopen (verify snapshot + replay journal) restores the labelmap', value: restoredOk ? 'identical' : 'different', target: 'identical', met: restoredOk }],
  };
  console.table([
    { case: 'autosave per edit (journal append + fdatasync), median', value: `${result.autosaveMedianMs.toFixed(2)} ms` },
    { case: 'autosave per edit, p95 / max', value: `${result.autosaveP95Ms.toFixed(2)} / ${result.autosaveMaxMs.toFixed(2)} ms` },
    { case: 'journal bytes per edit (r = 15 mm circle)', value: `${result.journalBytesPerEdit.toFixed(0)} B` },
    { case: 'compaction: snapshot 512x512x120 (gzip 1 + SHA-256 + fsync)', value: `${compactMs.toFixed(0)} ms, ${(snapBytes / 1024).toFixed(0)} KiB` },
    { case: 'reopen (verify snapshot + replay journal)', value: `${reopenMs.toFixed(0)} ms, restored ${restoredOk ? 'identical' : 'DIFFERENT'}` },
  ]);
  writeResult('workspace', result);
  if (!restoredOk) process.exitCode = 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
