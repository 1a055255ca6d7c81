/**
 * Report benchmark: from a measured phantom (256 x 256 x 120 CT, 1.5 x 1.5 x 2.5 mm), times generating the report PDF
 * (key images, PNG, layout, embedded JSON), opening the PKCS#12 with its passphrase, signing the PDF and the JSON
 * record, and verifying the signed PDF. Prints a table and writes bench/results/report.json.
 * Target (issue 6): generating and signing a report <= 1 s.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatePhantom, writePhantomLabelsNifti, writePhantomSeries } from '../fixtures/src/phantom/index.ts';
import { measureSeries } from '../electron/src/services/measure/measure-series.ts';
import { buildSignedReport } from '../electron/src/services/report/signed-report.ts';
import { createSelfSignedP12, loadP12 } from '../electron/src/services/signing/keystore.ts';
import { verifyPdf } from '../electron/src/services/signing/pdf-verify.ts';
import { median, writeResult } from './lib.ts';
import type { TargetCheck } from './lib.ts';

const RUNS = 5;
const TARGET_MS = 1000;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'remnant-report-bench-'));

const phantom = generatePhantom({ rows: 256, columns: 256, sliceCount: 120, pixelSpacingMm: [1.5, 1.5], sliceSpacingMm: 2.5, seed: 'report-bench' });
await writePhantomSeries(phantom, path.join(tmp, 'series'));
await writePhantomLabelsNifti(phantom, path.join(tmp, 'labels.nii.gz'));
const outcome = await measureSeries({
  seriesDir: path.join(tmp, 'series'),
  labelsFile: path.join(tmp, 'labels.nii.gz'),
  mapping: { liver: [1, 2, 10, 11], tumours: [10, 11], flr: [2] },
  anthropometrics: { chemotherapy: false, heightCm: 175, weightKg: 80 },
});
const passphrase = 'bench passphrase';
const p12 = createSelfSignedP12({ commonName: 'Bench Reviewer', organization: 'Bench Site', notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 86_400_000 * 365), passphrase });

const rows: Array<{ run: number; openP12Ms: number; buildAndSignMs: number; totalMs: number; verifyMs: number; pdfBytes: number }> = [];
for (let run = 1; run <= RUNS; run++) {
  const t0 = performance.now();
  const signer = loadP12(p12.p12Der, passphrase, 'bench.p12', new Date());
  const t1 = performance.now();
  const report = await buildSignedReport({ outcome, seriesDir: path.join(tmp, 'series'), subjectId: 'BENCH-1', timepoint: 'baseline', signerName: 'Bench Reviewer', signerRole: 'Reviewer', signer });
  const t2 = performance.now();
  const verification = await verifyPdf(report.signedPdf);
  const t3 = performance.now();
  if (!verification.ok) throw new Error('the benchmark report does not verify');
  rows.push({ run, openP12Ms: t1 - t0, buildAndSignMs: t2 - t1, totalMs: t2 - t0, verifyMs: t3 - t2, pdfBytes: report.signedPdf.length });
}
const summary = {
  bench: 'report',
  createdAt: new Date().toISOString(),
  node: process.version,
  grid: phantom.geometry?.sizeIJK ?? null,
  instances: outcome.instanceSha256.length,
  targetMs: TARGET_MS,
  medianTotalMs: median(rows.map((r) => r.totalMs)),
  medianOpenP12Ms: median(rows.map((r) => r.openP12Ms)),
  medianBuildAndSignMs: median(rows.map((r) => r.buildAndSignMs)),
  medianVerifyMs: median(rows.map((r) => r.verifyMs)),
  withinTarget: median(rows.map((r) => r.totalMs)) <= TARGET_MS,
  runs: rows,
  checks: [{ case: `open .p12 + generate + sign the report, median of ${RUNS}`, value: `${median(rows.map((r) => r.totalMs)).toFixed(0)} ms`, target: `<= ${TARGET_MS} ms`, met: median(rows.map((r) => r.totalMs)) <= TARGET_MS }] satisfies TargetCheck[],
};
console.table(rows);
console.log(`median open .p12 + generate + sign: ${summary.medianTotalMs.toFixed(0)} ms (target ${TARGET_MS} ms) ${summary.withinTarget ? 'OK' : 'OVER TARGET'}`);
writeResult('report', summary);
fs.rmSync(tmp, { recursive: true, force: true });
