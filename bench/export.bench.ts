/**
 * Export benchmark: DICOM SEG (BINARY) and SR (TID 1500) of a 512 x 512 x 600 role labelmap (liver ellipsoid, FLR,
 * two tumours) on a 600-slice source grid. Times building each object in memory and writing it to disk, checks the
 * SEG frame count against the labelmap, prints a table and writes bench/results/export.json.
 * Target (issue 6): SEG + SR export <= 3 s.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSegDicom, planSegments } from '../wasm/src/dicom/seg-export.ts';
import type { DerivedInstanceInfo, SourceContext } from '../wasm/src/dicom/seg-export.ts';
import { buildMeasurementSr } from '../wasm/src/dicom/sr-export.ts';
import { uidFromParts } from '../wasm/src/dicom/uid.ts';
import type { ScalarVolume } from '../wasm/src/image/types.ts';
import type { TargetGrid } from '../wasm/src/labels/target-grid.ts';
import { buildMeasurementRecord } from '../wasm/src/measure/record.ts';
import { collectGarbage, median, writeResult } from './lib.ts';
import type { TargetCheck } from './lib.ts';

const NX = 512;
const NY = 512;
const NZ = 600;
const RUNS = 3;
const TARGET_MS = 3000;

function buildRoles(): { labelmap: Uint8Array; image: ScalarVolume } {
  const total = NX * NY * NZ;
  const labelmap = new Uint8Array(total);
  const pixels = new Int16Array(total);
  const [cx, cy, cz, ax, ay, az] = [230, 250, 300, 150, 110, 110];
  for (let k = 0; k < NZ; k++) {
    const dz = (k - cz) / az;
    if (Math.abs(dz) > 1) continue;
    for (let j = 0; j < NY; j++) {
      const dy = (j - cy) / ay;
      const row = (k * NY + j) * NX;
      for (let i = 0; i < NX; i++) {
        const dx = (i - cx) / ax;
        if (dx * dx + dy * dy + dz * dz > 1) continue;
        let label = i < cx - ax / 3 ? 2 : 1;
        if ((i - 260) ** 2 + (j - 250) ** 2 + (k - 300) ** 2 <= 30 * 30) label = 10;
        if ((i - 300) ** 2 + (j - 200) ** 2 + (k - 340) ** 2 <= 15 * 15) label = 11;
        labelmap[row + i] = label;
        pixels[row + i] = 1084;
      }
    }
  }
  const image: ScalarVolume = {
    geometry: { sizeIJK: [NX, NY, NZ], spacingMm: [0.75, 0.75, 0.6], originLPS: [-192, -192, -180], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
    pixels,
    rescaleSlope: 1,
    rescaleIntercept: -1024,
    rescaleUnits: 'HU',
  };
  return { labelmap, image };
}

const t0 = performance.now();
const { labelmap, image } = buildRoles();
const buildMs = performance.now() - t0;

const studyUid = uidFromParts('bench-export', 'study');
const seriesUid = uidFromParts('bench-export', 'series');
const forUid = uidFromParts('bench-export', 'for');
const target: TargetGrid = {
  geometry: image.geometry,
  sopInstanceUidsByK: Array.from({ length: NZ }, (_, k) => uidFromParts('bench-export', 'instance', k)),
  frameOfReferenceUid: forUid,
  seriesInstanceUid: seriesUid,
};
const source: SourceContext = {
  patientName: 'BENCH^EXPORT', patientId: 'BENCH-1', patientBirthDate: '', patientSex: 'O', studyInstanceUid: studyUid, studyDate: '20250101',
  studyTime: '080000', studyId: '1', accessionNumber: '', referringPhysicianName: '', studyDescription: 'Export bench', seriesInstanceUid: seriesUid,
  frameOfReferenceUid: forUid, modality: 'CT', sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
};
const record = buildMeasurementRecord({
  roles: { labelmap, qc: null, geometry: image.geometry },
  image,
  series: { studyInstanceUid: studyUid, seriesInstanceUid: seriesUid, frameOfReferenceUid: forUid, seriesDate: '20250101', modality: 'CT' },
  labelInput: { format: 'role-labelmap', fileName: 'bench', sha256: '0'.repeat(64), roleMapping: { liver: [1, 2, 10, 11], tumours: [10, 11], flr: [2] } },
  anthropometrics: { chemotherapy: false, heightCm: 175, weightKg: 80 },
});
const instance = (kind: string): DerivedInstanceInfo => ({
  seriesInstanceUid: uidFromParts('bench-export', kind, 'series'),
  sopInstanceUid: uidFromParts('bench-export', kind, 'instance'),
  seriesNumber: 9701,
  instanceNumber: 1,
  seriesDescription: `bench ${kind}`,
  contentDate: '20250101',
  contentTime: '090000',
});

const expectedFrames = planSegments(labelmap, NX * NY, NZ, { tumourCount: 2, includeEmptyFlr: true }).reduce((n, s) => n + s.slicesK.length, 0);
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'remnant-export-bench-'));
const runs: Array<{ segBuildMs: number; segWriteMs: number; srBuildMs: number; srWriteMs: number; totalMs: number; segBytes: number; srBytes: number; frames: number }> = [];
for (let r = 0; r < RUNS; r++) {
  collectGarbage();
  const a = performance.now();
  const seg = buildSegDicom({ roleLabelmap: labelmap, target, source, instance: instance('seg'), contentCreatorName: 'Bench^Reviewer', algorithmType: 'SEMIAUTOMATIC', segmentPlan: { tumourCount: 2, includeEmptyFlr: true } });
  const b = performance.now();
  fs.writeFileSync(path.join(outDir, 'seg.dcm'), seg.bytes);
  const c = performance.now();
  const sr = buildMeasurementSr({ record, source, sourceInstanceUids: target.sopInstanceUidsByK, seg: { sopInstanceUid: seg.sopInstanceUid, seriesInstanceUid: seg.seriesInstanceUid, segments: seg.segments }, instance: instance('sr'), observerName: 'Bench^Reviewer', timepoint: 'baseline' });
  const d = performance.now();
  fs.writeFileSync(path.join(outDir, 'sr.dcm'), sr.bytes);
  const e = performance.now();
  if (seg.frameCount !== expectedFrames) throw new Error(`SEG has ${seg.frameCount} frames, expected ${expectedFrames}`);
  runs.push({ segBuildMs: b - a, segWriteMs: c - b, srBuildMs: d - c, srWriteMs: e - d, totalMs: e - a, segBytes: seg.bytes.length, srBytes: sr.bytes.length, frames: seg.frameCount });
}
fs.rmSync(outDir, { recursive: true, force: true });

const result = {
  bench: 'export',
  createdAt: new Date().toISOString(),
  node: process.version,
  grid: [NX, NY, NZ],
  volumesMl: record.volumes,
  labelmapBuildMs: buildMs,
  runs,
  segBuildMedianMs: median(runs.map((r) => r.segBuildMs)),
  srBuildMedianMs: median(runs.map((r) => r.srBuildMs)),
  totalMedianMs: median(runs.map((r) => r.totalMs)),
  targetMs: TARGET_MS,
  meetsTarget: median(runs.map((r) => r.totalMs)) <= TARGET_MS,
  checks: [{ case: `SEG + SR export ${NX}x${NY}x${NZ}, median of ${RUNS}`, value: `${median(runs.map((r) => r.totalMs)).toFixed(0)} ms`, target: `<= ${TARGET_MS} ms`, met: median(runs.map((r) => r.totalMs)) <= TARGET_MS }] satisfies TargetCheck[],
};
console.table(runs.map((r, n) => ({ run: n + 1, segBuildMs: r.segBuildMs.toFixed(0), segWriteMs: r.segWriteMs.toFixed(0), srBuildMs: r.srBuildMs.toFixed(0), srWriteMs: r.srWriteMs.toFixed(0), totalMs: r.totalMs.toFixed(0), frames: r.frames, segMB: (r.segBytes / 1e6).toFixed(1), srKB: (r.srBytes / 1e3).toFixed(0) })));
console.log(`SEG + SR export median ${result.totalMedianMs.toFixed(0)} ms, target ${TARGET_MS} ms: ${result.meetsTarget ? 'met' : 'NOT met'}`);
writeResult('export', result);
